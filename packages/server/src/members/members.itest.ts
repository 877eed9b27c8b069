import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { and, eq } from 'drizzle-orm';
import { memberships, projects } from '@quarry/store';
import { STORE_KINDS } from '@quarry/store/test-support';
import {
  API,
  ROOMY_RATE_LIMITS,
  addMember,
  createProject,
  errorCode,
  signUp,
  type Browser,
} from '../test-support/accounts.js';
import { startSmtpCatcher, tokenIn, type SmtpCatcher } from '../test-support/smtp-catcher.js';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';

interface MembersJson {
  members: Array<{ userId: string; email: string; role: string }>;
  invitations: Array<{ id: string; email: string; role: string }>;
}

const membersOf = async (browser: Browser, project: string) =>
  (await browser.inject({ url: `${API}/projects/${project}/members` })).json<MembersJson>();

describe.each(STORE_KINDS)('project members on %s', (kind) => {
  let t: TestQuarry;
  let smtp: SmtpCatcher;
  let owner: Browser;

  beforeAll(async () => {
    smtp = await startSmtpCatcher();
    t = await startTestQuarry(kind, {
      rateLimit: ROOMY_RATE_LIMITS,
      mail: smtp.settings,
    });
    owner = await signUp(t, 'owner@example.com');
  });
  afterAll(async () => {
    await t?.cleanup();
    await smtp?.close();
  });

  it('keeps an invitation until the account exists, then joins with the e-mailed token', async () => {
    const project = await createProject(owner, 'Invited');
    const invited = await owner.inject({
      method: 'POST',
      url: `${API}/projects/${project}/members`,
      payload: { email: 'Newcomer@Example.com', role: 'editor' },
    });
    expect(invited.statusCode).toBe(202);
    expect((await membersOf(owner, project)).invitations).toMatchObject([
      { email: 'newcomer@example.com', role: 'editor' },
    ]);
    const mail = smtp.lastTo('newcomer@example.com');
    expect(mail.subject).toBe('You are invited to "Invited" on Quarry');
    const token = tokenIn(mail);

    // Someone else cannot use the token, and trying does not spend it.
    const stranger = await signUp(t, 'stranger@example.com');
    const stolen = await stranger.inject({
      method: 'POST',
      url: `${API}/invitations/accept`,
      payload: { token },
    });
    expect(errorCode(stolen)).toBe('invalid_token');

    const newcomer = await signUp(t, 'newcomer@example.com');
    expect((await newcomer.inject({ url: `${API}/projects/${project}` })).statusCode).toBe(404);
    const accepted = await newcomer.inject({
      method: 'POST',
      url: `${API}/invitations/accept`,
      payload: { token },
    });
    expect(accepted.statusCode, accepted.body).toBe(200);
    expect(accepted.json<{ project: { slug: string; role: string } }>().project).toMatchObject({
      slug: project,
      role: 'editor',
    });
    const after = await membersOf(owner, project);
    expect(after.invitations).toEqual([]);
    expect(after.members.map((m) => [m.email, m.role])).toEqual([
      ['owner@example.com', 'owner'],
      ['newcomer@example.com', 'editor'],
    ]);
    const again = await newcomer.inject({
      method: 'POST',
      url: `${API}/invitations/accept`,
      payload: { token },
    });
    expect(errorCode(again)).toBe('invalid_token');
  });

  it("changes a member's role and removes a member, whose access ends at once", async () => {
    const project = await createProject(owner, 'Roles');
    const member = await signUp(t, 'roles@example.com');
    await addMember(owner, project, member, 'viewer');
    const rename = {
      method: 'PATCH' as const,
      url: `${API}/projects/${project}`,
      payload: { name: 'Renamed by a viewer' },
    };
    expect((await member.inject(rename)).statusCode).toBe(403);

    const changed = await owner.inject({
      method: 'PATCH',
      url: `${API}/projects/${project}/members/${member.userId}`,
      payload: { role: 'editor' },
    });
    expect(changed.statusCode).toBe(204);
    expect((await membersOf(owner, project)).members[1]).toMatchObject({ role: 'editor' });

    const removed = await owner.inject({
      method: 'DELETE',
      url: `${API}/projects/${project}/members/${member.userId}`,
    });
    expect(removed.statusCode).toBe(204);
    expect((await member.inject({ url: `${API}/projects/${project}` })).statusCode).toBe(404);
  });

  it('transfers ownership so that the project has exactly one owner', async () => {
    const project = await createProject(owner, 'Handover');
    const heir = await signUp(t, 'heir@example.com');
    await addMember(owner, project, heir, 'viewer');
    const transferred = await owner.inject({
      method: 'POST',
      url: `${API}/projects/${project}/transfer`,
      payload: { userId: heir.userId },
    });
    expect(transferred.statusCode).toBe(204);

    const [row] = await t.quarry.store.db
      .select({ id: projects.id })
      .from(projects)
      .where(eq(projects.slug, project));
    const owners = await t.quarry.store.db
      .select({ userId: memberships.userId })
      .from(memberships)
      .where(and(eq(memberships.projectId, row!.id), eq(memberships.role, 'owner')));
    expect(owners).toEqual([{ userId: heir.userId }]);
    expect((await membersOf(heir, project)).members.map((m) => [m.email, m.role])).toEqual([
      ['heir@example.com', 'owner'],
      ['owner@example.com', 'editor'],
    ]);
    // The former owner can no longer manage the project.
    const back = await owner.inject({
      method: 'POST',
      url: `${API}/projects/${project}/transfer`,
      payload: { userId: owner.userId },
    });
    expect(back.statusCode).toBe(403);
  });

  it('lets members leave but not the owner', async () => {
    const project = await createProject(owner, 'Leaving');
    const member = await signUp(t, 'leaving@example.com');
    await addMember(owner, project, member, 'editor');

    const ownerLeaves = await owner.inject({
      method: 'POST',
      url: `${API}/projects/${project}/leave`,
    });
    expect(ownerLeaves.statusCode).toBe(409);
    expect(errorCode(ownerLeaves)).toBe('owner_required');
    const removeOwner = await owner.inject({
      method: 'DELETE',
      url: `${API}/projects/${project}/members/${owner.userId}`,
    });
    expect(errorCode(removeOwner)).toBe('owner_required');

    const left = await member.inject({ method: 'POST', url: `${API}/projects/${project}/leave` });
    expect(left.statusCode).toBe(204);
    expect((await member.inject({ url: `${API}/projects/${project}` })).statusCode).toBe(404);
    expect((await membersOf(owner, project)).members.map((m) => m.role)).toEqual(['owner']);
  });
});
