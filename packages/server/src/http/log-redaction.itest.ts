import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  API,
  ROOMY_RATE_LIMITS,
  anonymous,
  createProject,
  logIn,
  signUp,
  tryLogIn,
  type Browser,
} from '../test-support/accounts.js';
import { startSmtpCatcher, tokenIn, type SmtpCatcher } from '../test-support/smtp-catcher.js';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';

// What reaches the log does not depend on the store, so PGlite alone runs these flows.
describe('secrets in the log', () => {
  let t: TestQuarry;
  let smtp: SmtpCatcher;
  /** Every password, token and key the flows below use or receive. */
  const secrets = new Map<string, string>();
  const keep = (what: string, secret: string) => secrets.set(what, secret);

  function keepBrowser(what: string, browser: Browser) {
    keep(`${what} password`, browser.password);
    keep(`${what} session token`, browser.sessionToken);
    keep(`${what} CSRF token`, browser.csrfToken);
  }

  /** Follows the link in an e-mail's text, as a browser would (it points at Quarry). */
  function openLink(text: string) {
    const link = new URL(/https?:\/\/\S+/.exec(text)![0]);
    return anonymous(t, { url: `${link.pathname}${link.search}` });
  }

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    t = await startTestQuarry('pglite', {
      logLevel: 'debug',
      rateLimit: ROOMY_RATE_LIMITS,
      mail: smtp.settings,
    });
    keep('SMTP password', smtp.password);
    keep('local token', t.quarry.localToken);
  });
  afterAll(async () => {
    await t?.cleanup();
    await smtp?.close();
  });

  it('never holds a password, session token, reset or invitation token or key secret', async () => {
    // Sign-up, a failed and a good log-in, a password change.
    const admin = await signUp(t, 'admin@example.com', 'Admin-Password-7c1e');
    keepBrowser('admin', admin);
    const user = await signUp(t, 'user@example.com', 'User-Password-52ab');
    keepBrowser('user', user);
    keep('wrong password', 'Wrong-Password-9d33');
    await tryLogIn(t, user.email, 'Wrong-Password-9d33');
    const second = await logIn(t, user.email, user.password);
    keepBrowser('second browser', second);
    keep('changed password', 'Changed-Password-0f4a');
    await second.inject({
      method: 'POST',
      url: `${API}/auth/password`,
      payload: { currentPassword: user.password, newPassword: 'Changed-Password-0f4a' },
    });

    // A password reset, its link opened in a browser, and the new password.
    await anonymous(t, {
      method: 'POST',
      url: `${API}/auth/password-reset`,
      payload: { email: user.email },
    });
    const resetMail = smtp.lastTo(user.email);
    const resetToken = tokenIn(resetMail);
    keep('reset token', resetToken);
    await openLink(resetMail.text);
    keep('reset password', 'Reset-Password-e81b');
    const confirmed = await anonymous(t, {
      method: 'POST',
      url: `${API}/auth/password-reset/confirm`,
      payload: { token: resetToken, newPassword: 'Reset-Password-e81b' },
    });
    expect(confirmed.statusCode).toBe(204);

    // An API key, created, used for a read and a change, and revoked.
    const created = await admin.inject({
      method: 'POST',
      url: `${API}/keys`,
      payload: { name: 'script', scopes: ['read', 'write'] },
    });
    const { key, secret } = created.json<{ key: { id: string }; secret: string }>();
    keep('API key', secret);
    const bearer = { authorization: `Bearer ${secret}` };
    await anonymous(t, { url: `${API}/projects`, headers: bearer });
    await anonymous(t, {
      method: 'POST',
      url: `${API}/projects`,
      headers: bearer,
      payload: { name: 'By key' },
    });
    await admin.inject({ method: 'DELETE', url: `${API}/keys/${key.id}` });
    await anonymous(t, { url: `${API}/projects`, headers: bearer });

    // An invitation to someone without an account, who signs up and accepts it.
    const project = await createProject(admin, 'Shared');
    await admin.inject({
      method: 'POST',
      url: `${API}/projects/${project}/members`,
      payload: { email: 'guest@example.com', role: 'viewer' },
    });
    const invitationMail = smtp.lastTo('guest@example.com');
    const invitationToken = tokenIn(invitationMail);
    keep('invitation token', invitationToken);
    await openLink(invitationMail.text);
    const guest = await signUp(t, 'guest@example.com', 'Guest-Password-3a77');
    keepBrowser('guest', guest);
    const accepted = await guest.inject({
      method: 'POST',
      url: `${API}/invitations/accept`,
      payload: { token: invitationToken },
    });
    expect(accepted.statusCode).toBe(200);

    // An account made by the administrator, and an account deleted by its owner.
    keep('created password', 'Created-Password-b6d0');
    await admin.inject({
      method: 'POST',
      url: `${API}/admin/users`,
      payload: { email: 'made@example.com', password: 'Created-Password-b6d0' },
    });
    await guest.inject({
      method: 'DELETE',
      url: `${API}/auth/me`,
      payload: { password: guest.password },
    });

    // The flows ran and were logged; none of their secrets were.
    expect(smtp.mail).toHaveLength(2);
    expect(t.logs.filter((l) => l.msg === 'e-mail sent')).toHaveLength(2);
    const urls = t.logs.map((line) => (line.req as { url?: string } | undefined)?.url);
    expect(urls).toContain('/reset-password?token=[redacted]');
    expect(urls).toContain('/invitations/accept?token=[redacted]');
    const leaks = t.logs.flatMap((line) => {
      const text = JSON.stringify(line);
      return [...secrets].filter(([, secret]) => text.includes(secret)).map(([what]) => what);
    });
    expect(leaks).toEqual([]);
  });
});
