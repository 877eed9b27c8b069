import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq, sql } from 'drizzle-orm';
import { auditEvents, users } from '@quarry/store';
import { STORE_KINDS } from '@quarry/store/test-support';
import {
  API,
  anonymous,
  errorCode,
  logIn,
  signUp,
  tryLogIn,
  trySignUp,
} from '../test-support/accounts.js';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';

function expectRateLimited(response: LightMyRequestResponse, windowMs: number) {
  expect(response.statusCode).toBe(429);
  expect(errorCode(response)).toBe('rate_limited');
  const retryAfter = Number(response.headers['retry-after']);
  expect(retryAfter).toBeGreaterThanOrEqual(1);
  expect(retryAfter).toBeLessThanOrEqual(windowMs / 1000);
}

describe.each(STORE_KINDS)('abuse limits on %s', (kind) => {
  let t: TestQuarry;

  beforeAll(async () => {
    t = await startTestQuarry(kind, {
      auth: { maxFailedLogins: 3, lockoutMinutes: 15 },
      // Each test below uses its own addresses and accounts, so their counts never mix; the
      // lock-out test makes six requests for its account (sign-up included).
      rateLimit: { windowMs: 60_000, authPerIp: 7, authPerAccount: 6, apiPerKey: 600 },
    });
  });
  afterAll(async () => t?.cleanup());

  it('locks an account after repeated failures, says so, and lets it in after', async () => {
    const user = await signUp(t, 'target@example.com', 'the-right-password', '10.0.1.1');
    const attempt = (password: string) => tryLogIn(t, user.email, password, '10.0.1.2');
    expect((await attempt('wrong-password-1')).statusCode).toBe(401);
    expect((await attempt('wrong-password-2')).statusCode).toBe(401);

    const locked = await attempt('wrong-password-3');
    expect(locked.statusCode).toBe(423);
    expect(errorCode(locked)).toBe('account_locked');
    expect(locked.json<{ error: { message: string } }>().error.message).toBe(
      'Too many failed log-ins: this account is locked for 15 more minutes. ' +
        'Try again then, or reset the password.',
    );
    // Even the right password is refused while the lock lasts.
    expect((await attempt('the-right-password')).statusCode).toBe(423);
    const db = t.quarry.store.db;
    const events = await db.select().from(auditEvents).where(eq(auditEvents.targetId, user.userId));
    expect(events.map((e) => e.action)).toContain('user.locked');

    // The lock runs out.
    await db
      .update(users)
      .set({ lockedUntil: sql`now() - interval '1 second'` })
      .where(eq(users.id, user.userId));
    expect((await attempt('the-right-password')).statusCode).toBe(200);
  });

  it('limits log-ins per account across addresses with 429 and Retry-After', async () => {
    const { authPerAccount, windowMs } = t.settings.rateLimit;
    for (let i = 0; i < authPerAccount; i++) {
      const response = await tryLogIn(t, 'hammered@example.com', 'guess', `10.0.2.${i}`);
      expect(response.statusCode).toBe(401);
    }
    expectRateLimited(await tryLogIn(t, 'hammered@example.com', 'guess', '10.0.2.99'), windowMs);
    // Another account from the same address is not affected.
    expect((await tryLogIn(t, 'other@example.com', 'guess', '10.0.2.99')).statusCode).toBe(401);
  });

  it('limits log-in, sign-up and reset requests per address', async () => {
    const { authPerIp, windowMs } = t.settings.rateLimit;
    const ip = '10.0.3.1';
    for (let i = 0; i < authPerIp; i++) {
      expect((await tryLogIn(t, `guess-${i}@example.com`, 'guess', ip)).statusCode).toBe(401);
    }
    expectRateLimited(await tryLogIn(t, 'guess-last@example.com', 'guess', ip), windowMs);
    const signup = await trySignUp(t, 'fresh@example.com', 'a-long-password', ip);
    expectRateLimited(signup, windowMs);
    const reset = await anonymous(t, {
      method: 'POST',
      url: `${API}/auth/password-reset`,
      payload: { email: 'fresh@example.com' },
      remoteAddress: ip,
    });
    expectRateLimited(reset, windowMs);
    // Other addresses are not affected.
    expect((await tryLogIn(t, 'guess-last@example.com', 'guess', '10.0.3.2')).statusCode).toBe(401);
  });

  it('refuses a JSON body over the limit with 413', async () => {
    const response = await anonymous(t, {
      method: 'POST',
      url: `${API}/auth/login`,
      headers: { 'content-type': 'application/json' },
      payload: JSON.stringify({ email: 'big@example.com', password: 'x'.repeat(2 * 1024 * 1024) }),
      remoteAddress: '10.0.4.1',
    });
    expect(response.statusCode).toBe(413);
    expect(errorCode(response)).toBe('payload_too_large');
  });

  it('sends security headers on every response, errors included', async () => {
    for (const url of ['/healthz', `${API}/auth/me`, `${API}/no-such-endpoint`]) {
      const response = await anonymous(t, { url });
      const csp = String(response.headers['content-security-policy']);
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
      expect(csp).toContain("object-src 'none'");
      expect(response.headers['x-content-type-options']).toBe('nosniff');
      expect(response.headers['x-frame-options']).toBe('DENY');
    }
  });
});

describe.each(STORE_KINDS)('CSRF protection on %s', (kind) => {
  let t: TestQuarry;

  beforeAll(async () => {
    t = await startTestQuarry(kind);
  });
  afterAll(async () => t?.cleanup());

  it('refuses a change made with the session cookie alone', async () => {
    const browser = await signUp(t, 'csrf@example.com');
    const create = { method: 'POST' as const, url: `${API}/projects`, payload: { name: 'Mine' } };
    const forged = await browser.injectWithoutCsrf(create);
    expect(forged.statusCode).toBe(403);
    expect(errorCode(forged)).toBe('csrf_invalid');
    const wrongToken = await browser.injectWithoutCsrf({
      ...create,
      headers: { 'x-csrf-token': 'made-up' },
    });
    expect(errorCode(wrongToken)).toBe('csrf_invalid');
    // Reads need no token; changes with the token go through.
    expect((await browser.injectWithoutCsrf({ url: `${API}/projects` })).statusCode).toBe(200);
    expect((await browser.inject(create)).statusCode).toBe(201);
  });

  it("does not accept another browser's token", async () => {
    const mine = await signUp(t, 'csrf-mine@example.com');
    const theirs = await logIn(t, mine.email, mine.password);
    const response = await mine.injectWithoutCsrf({
      method: 'POST',
      url: `${API}/projects`,
      payload: { name: 'Crossed' },
      headers: { 'x-csrf-token': theirs.csrfToken },
    });
    expect(errorCode(response)).toBe('csrf_invalid');
  });

  it('needs no token for requests with a bearer key', async () => {
    const browser = await signUp(t, 'csrf-key@example.com');
    const created = await browser.inject({
      method: 'POST',
      url: `${API}/keys`,
      payload: { name: 'script', scopes: ['read', 'write'] },
    });
    const { secret } = created.json<{ secret: string }>();
    const response = await anonymous(t, {
      method: 'POST',
      url: `${API}/projects`,
      headers: { authorization: `Bearer ${secret}` },
      payload: { name: 'Scripted' },
    });
    expect(response.statusCode).toBe(201);
  });
});
