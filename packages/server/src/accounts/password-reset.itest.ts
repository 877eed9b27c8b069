import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { passwordResets, users } from '@quarry/store';
import { STORE_KINDS } from '@quarry/store/test-support';
import { API, anonymous, errorCode, logIn, signUp, tryLogIn } from '../test-support/accounts.js';
import { startSmtpCatcher, tokenIn, type SmtpCatcher } from '../test-support/smtp-catcher.js';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';

const PUBLIC_URL = 'https://quarry.example.org';

function requestReset(t: TestQuarry, email: string) {
  return anonymous(t, { method: 'POST', url: `${API}/auth/password-reset`, payload: { email } });
}

function confirmReset(t: TestQuarry, token: string, newPassword: string) {
  return anonymous(t, {
    method: 'POST',
    url: `${API}/auth/password-reset/confirm`,
    payload: { token, newPassword },
  });
}

describe.each(STORE_KINDS)('password reset by e-mail through SMTP on %s', (kind) => {
  let t: TestQuarry;
  let smtp: SmtpCatcher;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    t = await startTestQuarry(kind, {
      publicUrl: PUBLIC_URL,
      mail: smtp.settings,
    });
  });
  afterAll(async () => {
    await t?.cleanup();
    await smtp?.close();
  });

  it('e-mails a link whose token sets a new password and signs every browser out', async () => {
    const user = await signUp(t, 'forgetful@example.com');
    expect((await requestReset(t, 'Forgetful@Example.com')).statusCode).toBe(202);

    const mail = smtp.lastTo('forgetful@example.com');
    expect(mail.subject).toBe('Reset your Quarry password');
    expect(mail.text).toContain(`${PUBLIC_URL}/reset-password?token=`);
    const token = tokenIn(mail);
    // Only a hash of the token is kept.
    const stored = await t.quarry.store.db.select().from(passwordResets);
    expect(JSON.stringify(stored)).not.toContain(token);

    expect((await confirmReset(t, token, 'remembered-at-last')).statusCode).toBe(204);
    expect((await user.inject({ url: `${API}/auth/me` })).statusCode).toBe(401);
    expect((await tryLogIn(t, user.email, user.password)).statusCode).toBe(401);
    await logIn(t, user.email, 'remembered-at-last');
  });

  it('accepts a token once only', async () => {
    await signUp(t, 'twice@example.com');
    await requestReset(t, 'twice@example.com');
    const token = tokenIn(smtp.lastTo('twice@example.com'));
    expect((await confirmReset(t, token, 'first-new-password')).statusCode).toBe(204);

    const reused = await confirmReset(t, token, 'second-new-password');
    expect(reused.statusCode).toBe(400);
    expect(errorCode(reused)).toBe('invalid_token');
    expect((await tryLogIn(t, 'twice@example.com', 'first-new-password')).statusCode).toBe(200);
  });

  it('refuses an expired token and leaves the password alone', async () => {
    const user = await signUp(t, 'slow@example.com');
    await requestReset(t, user.email);
    const token = tokenIn(smtp.lastTo(user.email));
    const db = t.quarry.store.db;
    const [row] = await db
      .select({ reset: passwordResets })
      .from(passwordResets)
      .innerJoin(users, eq(users.id, passwordResets.userId))
      .where(eq(users.email, user.email));
    const lifetime = row!.reset.expiresAt.getTime() - row!.reset.createdAt.getTime();
    expect(Math.round(lifetime / 60_000)).toBe(t.settings.auth.resetTokenMinutes);

    // The clock moves past the expiry.
    await db
      .update(passwordResets)
      .set({ expiresAt: sql`now() - interval '1 second'` })
      .where(eq(passwordResets.id, row!.reset.id));
    const expired = await confirmReset(t, token, 'too-late-password');
    expect(expired.statusCode).toBe(400);
    expect(errorCode(expired)).toBe('invalid_token');
    expect((await tryLogIn(t, user.email, user.password)).statusCode).toBe(200);
  });

  it('answers the same for an unknown address and sends nothing', async () => {
    const before = smtp.mail.length;
    expect((await requestReset(t, 'stranger@example.com')).statusCode).toBe(202);
    expect(smtp.mail.length).toBe(before);
  });

  it('refuses a made-up token', async () => {
    const response = await confirmReset(t, 'qr_made-up', 'any-long-password');
    expect(errorCode(response)).toBe('invalid_token');
  });
});

// Only the mailer differs from the SMTP case above, so one store is enough.
describe('password reset without an SMTP server', () => {
  it('writes the e-mail with its link to the log, and the link works', async () => {
    const t = await startTestQuarry('pglite', { publicUrl: PUBLIC_URL });
    try {
      await signUp(t, 'solo@example.com');
      expect((await requestReset(t, 'solo@example.com')).statusCode).toBe(202);
      const line = t.logs.find((l) => String(l.msg).includes('/reset-password?token='));
      expect(line).toMatchObject({ level: 40, mail: { to: 'solo@example.com' } });
      const token = /[?&]token=([\w-]+)/.exec(String(line!.msg))![1]!;
      expect((await confirmReset(t, token, 'reset-from-the-log')).statusCode).toBe(204);
      await logIn(t, 'solo@example.com', 'reset-from-the-log');
    } finally {
      await t.cleanup();
    }
  });
});
