import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '@quarry/store/test-support';
import {
  API,
  ROOMY_RATE_LIMITS,
  anonymous,
  errorCode,
  everyRowAsText,
  signUp,
  type Browser,
} from '../test-support/accounts.js';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';

interface KeyJson {
  id: string;
  prefix: string;
  createdAt: string;
  scopes: string[];
  lastUsedAt: string | null;
  revokedAt: string | null;
}

async function createKey(owner: Browser, scopes: string[]) {
  const response = await owner.inject({
    method: 'POST',
    url: `${API}/keys`,
    payload: { name: `key for ${scopes.join('+')}`, scopes },
  });
  expect(response.statusCode, response.body).toBe(201);
  return response.json<{ key: KeyJson; secret: string }>();
}

const withKey = (t: TestQuarry, secret: string, method: 'GET' | 'POST' = 'GET') =>
  anonymous(t, {
    method,
    url: `${API}/projects`,
    headers: { authorization: `Bearer ${secret}` },
    ...(method === 'POST' ? { payload: { name: `made with a key ${Math.random()}` } } : {}),
  });

describe.each(STORE_KINDS)('API keys on %s', (kind) => {
  let t: TestQuarry;
  let owner: Browser;

  beforeAll(async () => {
    t = await startTestQuarry(kind, { rateLimit: { ...ROOMY_RATE_LIMITS, apiPerKey: 3 } });
    owner = await signUp(t, 'keys@example.com');
  });
  afterAll(async () => t?.cleanup());

  it('shows the secret once, lists keys without it, and stores only its hash', async () => {
    const { key, secret } = await createKey(owner, ['read']);
    expect(secret).toMatch(/^qk_[\w-]{40,}$/);
    expect(key.prefix).toBe(secret.slice(0, 10));

    const listed = await owner.inject({ url: `${API}/keys` });
    expect(listed.json<{ keys: KeyJson[] }>().keys.map((k) => k.id)).toContain(key.id);
    expect(listed.body).not.toContain(secret);
    expect(listed.body).not.toContain(secret.slice(10));
    expect(await everyRowAsText(t)).not.toContain(secret.slice(10));
  });

  it('records when a key was last used', async () => {
    const { key, secret } = await createKey(owner, ['read']);
    expect(key.lastUsedAt).toBeNull();
    expect((await withKey(t, secret)).statusCode).toBe(200);
    const listed = await owner.inject({ url: `${API}/keys` });
    const used = listed.json<{ keys: KeyJson[] }>().keys.find((k) => k.id === key.id)!;
    expect(used.lastUsedAt).not.toBeNull();
    expect(Date.parse(used.lastUsedAt!)).toBeGreaterThanOrEqual(Date.parse(key.createdAt));
  });

  it('allows what its scopes allow and nothing more', async () => {
    const reader = await createKey(owner, ['read']);
    expect((await withKey(t, reader.secret)).statusCode).toBe(200);
    const write = await withKey(t, reader.secret, 'POST');
    expect(write.statusCode).toBe(403);
    expect(errorCode(write)).toBe('insufficient_scope');
    const writer = await createKey(owner, ['read', 'write']);
    expect((await withKey(t, writer.secret, 'POST')).statusCode).toBe(201);
    // Keys are managed with the admin scope only, so a leaked key cannot mint others.
    const minted = await anonymous(t, {
      method: 'POST',
      url: `${API}/keys`,
      headers: { authorization: `Bearer ${writer.secret}` },
      payload: { name: 'minted', scopes: ['admin'] },
    });
    expect(errorCode(minted)).toBe('insufficient_scope');
  });

  it('stops working at once when revoked', async () => {
    const { key, secret } = await createKey(owner, ['read']);
    expect((await withKey(t, secret)).statusCode).toBe(200);
    const revoked = await owner.inject({ method: 'DELETE', url: `${API}/keys/${key.id}` });
    expect(revoked.statusCode).toBe(204);
    const refused = await withKey(t, secret);
    expect(refused.statusCode).toBe(401);
    expect(errorCode(refused)).toBe('unauthenticated');
    const listed = await owner.inject({ url: `${API}/keys` });
    const row = listed.json<{ keys: KeyJson[] }>().keys.find((k) => k.id === key.id)!;
    expect(row.revokedAt).not.toBeNull();
  });

  it('limits requests per key with 429 and Retry-After, each key on its own', async () => {
    const busy = await createKey(owner, ['read']);
    const calm = await createKey(owner, ['read']);
    for (let i = 0; i < t.settings.rateLimit.apiPerKey; i++) {
      expect((await withKey(t, busy.secret)).statusCode).toBe(200);
    }
    const limited = await withKey(t, busy.secret);
    expect(limited.statusCode).toBe(429);
    expect(errorCode(limited)).toBe('rate_limited');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThanOrEqual(1);
    expect(retryAfter).toBeLessThanOrEqual(t.settings.rateLimit.windowMs / 1000);
    expect((await withKey(t, calm.secret)).statusCode).toBe(200);
  });
});
