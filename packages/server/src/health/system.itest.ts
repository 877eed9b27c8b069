import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { anonymous, ROOMY_RATE_LIMITS, signUp, type Browser } from '../test-support/accounts.js';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';

describe('the instance health page for administrators', () => {
  let t: TestQuarry;
  let admin: Browser;
  let person: Browser;

  beforeAll(async () => {
    t = await startTestQuarry('pglite', { rateLimit: ROOMY_RATE_LIMITS }, { runWorker: false });
    admin = await signUp(t, 'admin@example.org');
    person = await signUp(t, 'person@example.org');
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  it('shows an administrator the store, the counts and the memory in use', async () => {
    const response = await admin.inject({ url: '/api/v1/admin/system' });
    expect(response.statusCode).toBe(200);
    const body = response.json<{
      status: string;
      store: string;
      broker: boolean;
      memoryRssBytes: number;
      counts: Record<string, number>;
    }>();
    expect(body).toMatchObject({ status: 'ready', store: 'embedded', broker: false });
    const users = await admin.inject({ url: '/api/v1/admin/users' });
    expect(body.counts).toEqual({
      users: users.json<{ users: unknown[] }>().users.length,
      projects: 0,
      files: 0,
      chunks: 0,
      pendingJobs: 0,
      failedJobs: 0,
    });
    expect(body.memoryRssBytes).toBeGreaterThan(0);
  });

  it('is refused to everyone else', async () => {
    expect((await person.inject({ url: '/api/v1/admin/system' })).statusCode).toBe(403);
    expect((await anonymous(t, { url: '/api/v1/admin/system' })).statusCode).toBe(401);
  });
});
