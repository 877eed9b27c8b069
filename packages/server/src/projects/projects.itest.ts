import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '@quarry/store/test-support';
import { userCaller, type Caller } from '../caller.js';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';

describe.each(STORE_KINDS)('project names between people (%s)', (kind) => {
  let t: TestQuarry;
  let ann: Caller;
  let bob: Caller;

  beforeAll(async () => {
    t = await startTestQuarry(kind);
    const person = async (email: string) =>
      userCaller((await t.quarry.accounts.signup({ email, password: 'long enough secret' })).user);
    ann = await person('ann@example.org');
    bob = await person('bob@example.org');
  });
  afterAll(async () => t?.cleanup());

  it('gives a second person their own "notes" without revealing the first', async () => {
    const first = await t.quarry.projects.create(ann, { name: 'notes' });
    const second = await t.quarry.projects.create(bob, { name: 'notes' });
    expect(first.slug).toBe('notes');
    expect(second.slug).toBe('notes-2');
    expect(second.role).toBe('owner');

    // Each person's "notes" is their own, by short name or by name.
    expect((await t.quarry.projects.get(ann, 'notes')).id).toBe(first.id);
    expect((await t.quarry.projects.get(bob, 'notes')).id).toBe(second.id);
    expect((await t.quarry.projects.ensure(bob, 'notes')).id).toBe(second.id);
    expect((await t.quarry.projects.list(bob)).map((p) => p.id)).toEqual([second.id]);

    await expect(t.quarry.projects.get(ann, 'notes-2')).rejects.toMatchObject({
      code: 'project_not_found',
    });
    // Named as the person sees it, not by the short name made from it.
    await expect(t.quarry.projects.create(ann, { name: 'NOTES!' })).rejects.toMatchObject({
      code: 'project_exists',
      message: expect.stringContaining(`called "${first.name}"`),
    });
  });
});
