import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '@quarry/store/test-support';
import {
  API,
  ROOMY_RATE_LIMITS,
  addMember,
  anonymous,
  createProject,
  signUp,
  type Browser,
} from '../test-support/accounts.js';
import { upload } from '../test-support/http.js';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';

interface EventJson {
  at: string;
  actor: { id: string | null; email: string | null };
  action: string;
  projectId: string | null;
  target: { type: string; id: string } | null;
  details: Record<string, unknown> | null;
}

type Page = { events: EventJson[]; nextBefore: number | null };

describe.each(STORE_KINDS)('the audit log on %s', (kind) => {
  let t: TestQuarry;
  let admin: Browser;
  let owner: Browser;
  let editor: Browser;
  let outsider: Browser;
  let project: string;
  let projectId: string;
  let keyId: string;
  let fileId: string;

  beforeAll(async () => {
    t = await startTestQuarry(kind, { rateLimit: ROOMY_RATE_LIMITS });
    admin = await signUp(t, 'admin@example.com');
    owner = await signUp(t, 'owner@example.com');
    editor = await signUp(t, 'editor@example.com');
    outsider = await signUp(t, 'outsider@example.com');
    const viewer = await signUp(t, 'viewer@example.com');

    // A project's life: created, renamed, members come and go, a file comes and goes.
    project = await createProject(owner, 'Audited');
    projectId = (await owner.inject({ url: `${API}/projects/${project}` })).json<{ id: string }>()
      .id;
    await owner.inject({
      method: 'PATCH',
      url: `${API}/projects/${project}`,
      payload: { name: 'Audited, renamed' },
    });
    await addMember(owner, project, editor, 'viewer');
    await addMember(owner, project, viewer, 'viewer');
    await owner.inject({
      method: 'PATCH',
      url: `${API}/projects/${project}/members/${editor.userId}`,
      payload: { role: 'editor' },
    });
    await owner.inject({
      method: 'DELETE',
      url: `${API}/projects/${project}/members/${viewer.userId}`,
    });
    await owner.inject({
      method: 'POST',
      url: `${API}/projects/${project}/members`,
      payload: { email: 'later@example.com', role: 'viewer' },
    });
    const uploaded = await upload(editor, project, [
      { name: 'notes.txt', bytes: new TextEncoder().encode('Audit trails answer questions.') },
    ]);
    fileId = uploaded.json<{ files: Array<{ fileId: string }> }>().files[0]!.fileId;
    await t.quarry.drain();
    await editor.inject({ method: 'DELETE', url: `${API}/projects/${project}/files/${fileId}` });
    const key = await owner.inject({
      method: 'POST',
      url: `${API}/keys`,
      payload: { name: 'ci', scopes: ['read'] },
    });
    keyId = key.json<{ key: { id: string } }>().key.id;
    await owner.inject({ method: 'DELETE', url: `${API}/keys/${keyId}` });
  });
  afterAll(async () => t?.cleanup());

  const summary = (events: EventJson[]) =>
    events.map((e) => [e.action, e.actor.email, e.target?.type ?? null]).reverse();

  it("shows a project's owner who did what to the project, its members and documents", async () => {
    const response = await owner.inject({ url: `${API}/projects/${project}/audit` });
    expect(response.statusCode).toBe(200);
    const { events } = response.json<Page>();
    expect(summary(events)).toEqual([
      ['project.create', 'owner@example.com', 'project'],
      ['project.rename', 'owner@example.com', 'project'],
      ['member.add', 'owner@example.com', 'user'],
      ['member.add', 'owner@example.com', 'user'],
      ['member.role', 'owner@example.com', 'user'],
      ['member.remove', 'owner@example.com', 'user'],
      ['member.invite', 'owner@example.com', 'invitation'],
      ['document.upload', 'editor@example.com', 'file'],
      ['document.delete', 'editor@example.com', 'file'],
    ]);
    expect(events.every((e) => e.projectId === projectId && !Number.isNaN(Date.parse(e.at)))).toBe(
      true,
    );
    const roleChange = events.find((e) => e.action === 'member.role')!;
    expect(roleChange).toMatchObject({
      target: { type: 'user', id: editor.userId },
      details: { from: 'viewer', to: 'editor' },
    });
    expect(events.find((e) => e.action === 'document.upload')!.target!.id).toBe(fileId);
  });

  it('shows an administrator every event, keys and accounts included', async () => {
    const response = await admin.inject({ url: `${API}/admin/audit?limit=500` });
    expect(response.statusCode).toBe(200);
    const { events } = response.json<Page>();
    const actions = events.map((e) => e.action);
    expect(actions).toEqual(
      expect.arrayContaining(['user.signup', 'project.create', 'document.delete']),
    );
    expect(events.filter((e) => e.target?.id === keyId).map((e) => e.action)).toEqual([
      'key.revoke',
      'key.create',
    ]);
    expect(events.filter((e) => e.projectId === projectId)).toHaveLength(9);
  });

  it('shows nothing to members who are not the owner, outsiders or anonymous callers', async () => {
    const projectLog = `${API}/projects/${project}/audit`;
    expect((await editor.inject({ url: projectLog })).statusCode).toBe(403);
    expect((await outsider.inject({ url: projectLog })).statusCode).toBe(404);
    expect((await anonymous(t, { url: projectLog })).statusCode).toBe(401);
    expect((await owner.inject({ url: `${API}/admin/audit` })).statusCode).toBe(403);
    expect((await anonymous(t, { url: `${API}/admin/audit` })).statusCode).toBe(401);
  });

  it('keeps the record of a deleted project for administrators', async () => {
    const deleted = await owner.inject({ method: 'DELETE', url: `${API}/projects/${project}` });
    expect(deleted.statusCode).toBe(204);
    const { events } = (await admin.inject({ url: `${API}/admin/audit` })).json<Page>();
    expect(events.find((e) => e.action === 'project.delete')).toMatchObject({
      projectId,
      actor: { id: owner.userId, email: 'owner@example.com' },
    });
  });
});
