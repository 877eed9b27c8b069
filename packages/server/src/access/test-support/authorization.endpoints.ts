import type { InjectOptions } from 'fastify';
import { expect } from 'vitest';
import { createDocument, createFile } from '@quarry/store/test-support';
import { API } from '../../test-support/accounts.js';
import { multipartBody, openEventStream, parseEvents, upload } from '../../test-support/http.js';
import {
  PRIVATE_MARKER,
  SHARED_ROLE,
  keyIdsOf,
  projectIdsOf,
  type Account,
  type Actor,
  type Upload,
  type World,
} from './authorization.world.js';

/** What the table compares: the status, and for reads the body. */
export interface Reply {
  statusCode: number;
  body: string;
}

/** How one endpoint of the table is called, and what a caller it allows must get back. */
export interface Endpoint {
  endpoint: string;
  send(w: World, actor: Actor): Promise<Reply>;
  check?(w: World, reply: Reply, actor: Actor): void | Promise<void>;
}

type Check = NonNullable<Endpoint['check']>;
type Build = (w: World, actor: Actor) => InjectOptions | Promise<InjectOptions>;

const json = <T>(reply: Reply) => JSON.parse(reply.body) as T;
const bytes = (text: string) => new TextEncoder().encode(text);
const projectUrl = (slug: string) => `${API}/projects/${slug}`;
const shared = (w: World, rest = '') => `${projectUrl(w.shared.slug)}${rest}`;
/** A fresh project of the owner's, with the shared project's members, for one request. */
const fresh = async (w: World, rest = '') => projectUrl((await w.freshProject()).slug) + rest;

function call(endpoint: string, build: Build, check?: Check): Endpoint {
  return {
    endpoint,
    send: async (w, actor) => w.client(actor).inject(await build(w, actor)),
    check,
  };
}

/** A request that ends a session or an account, sent by a stand-in for the caller. */
function byStandIn(endpoint: string, build: (account: Account | null) => InjectOptions): Endpoint {
  return {
    endpoint,
    async send(w, actor) {
      const { client, account } = await w.standIn(actor);
      return client.inject(build(account));
    },
  };
}

const post = (url: string, payload?: object): InjectOptions => ({ method: 'POST', url, payload });
const del = (url: string, payload?: object): InjectOptions => ({ method: 'DELETE', url, payload });

const sharedUploads = (w: World) => [w.shared.owner, w.shared.editor];
const uploadOf = (w: World, documentId: string): Upload | undefined =>
  sharedUploads(w).find((u) => u.documentId === documentId);
const sorted = (values: string[]) => [...values].sort();

interface Citation {
  documentId: string;
  start: number;
  end: number;
  quote: string;
}

/** The question the table asks: only the editor's upload answers it. */
const QUESTION = 'When do herons hunt?';

/** Every citation quotes a document of the shared project, at the place it names. */
function checkCitations(w: World, citations: Citation[]) {
  expect([...new Set(citations.map((c) => c.documentId))]).toEqual([w.shared.editor.documentId]);
  for (const citation of citations) {
    const text = uploadOf(w, citation.documentId)!.text;
    const quote = citation.quote.replace(/ …$/, '');
    expect(text.slice(citation.start, citation.end)).toContain(quote.slice(0, 20));
  }
}

const checkSearch: Check = (w, reply) => {
  const { hits } = json<{
    hits: Array<{ documentId: string; passages: Array<{ snippet: string; text: string }> }>;
  }>(reply);
  // The viewer finds the editor's upload as well as the owner's, and nothing else.
  expect(sorted(hits.map((h) => h.documentId))).toEqual(
    sorted(sharedUploads(w).map((u) => u.documentId)),
  );
  for (const hit of hits) {
    expect(hit.passages.length).toBeGreaterThan(0);
    for (const passage of hit.passages) {
      expect(uploadOf(w, hit.documentId)!.text).toContain(passage.text.replaceAll('…', '').trim());
      expect(passage.snippet).toContain('<mark>');
    }
  }
};

/** Opens the event stream of a fresh project, then files arrive there and elsewhere. */
async function listen(w: World, actor: Actor): Promise<Reply> {
  const project = await w.freshProject();
  const stream = await openEventStream(w.client(actor), `${projectUrl(project.slug)}/events`);
  if (stream.statusCode !== 200) {
    return { statusCode: stream.statusCode, body: await stream.text() };
  }
  // A file in another person's project arrives first: it must not be heard here.
  const elsewhere = [{ name: `${w.unique(PRIVATE_MARKER)}.txt`, bytes: bytes(w.unique('x')) }];
  await upload(w.people.outsider, w.private.slug, elsewhere);
  const sent = await upload(w.people.editor, project.slug, [
    { name: 'arrival.txt', bytes: bytes(`A heron arrived ${w.unique('at')}.`) },
  ]);
  const event = await stream.next();
  stream.close();
  const fileId = sent.json<{ files: Array<{ fileId: string }> }>().files[0]!.fileId;
  return { statusCode: 200, body: JSON.stringify({ event, projectId: project.id, fileId }) };
}

export const ENDPOINTS: Endpoint[] = [
  call(
    'GET /projects',
    () => ({ url: `${API}/projects` }),
    async (w, reply, actor) => {
      const ids = json<{ projects: Array<{ id: string }> }>(reply).projects.map((p) => p.id);
      expect(ids.includes(w.shared.id)).toBe(SHARED_ROLE[actor] !== undefined);
      expect(ids.includes(w.private.id)).toBe(actor === 'nonMember');
      expect(sorted(ids)).toEqual(sorted(await projectIdsOf(w, w.accountOf(actor)!.id)));
    },
  ),
  call('POST /projects', (w) => post(`${API}/projects`, { name: w.unique('Made') })),
  call(
    'GET …',
    (w) => ({ url: shared(w) }),
    (w, reply, actor) => {
      expect(json(reply)).toMatchObject({ id: w.shared.id, role: SHARED_ROLE[actor] });
    },
  ),
  call('PATCH …', async (w) => ({ method: 'PATCH', url: await fresh(w), payload: { name: 'R' } })),
  call('DELETE …', async (w) => del(await fresh(w))),

  call('POST …/files', async (w) => ({
    method: 'POST',
    url: await fresh(w, '/files'),
    ...(await multipartBody([{ name: 'new.txt', bytes: bytes('Herons again.') }])),
  })),
  call(
    'GET …/files',
    (w) => ({ url: shared(w, '/files') }),
    (w, reply) => {
      const { files } = json<{ files: Array<{ id: string }> }>(reply);
      expect(sorted(files.map((f) => f.id))).toEqual(sorted(sharedUploads(w).map((u) => u.fileId)));
    },
  ),
  call(
    'GET …/files/{fileId}',
    (w) => ({ url: shared(w, `/files/${w.shared.editor.fileId}`) }),
    (w, reply) => expect(json(reply)).toMatchObject({ id: w.shared.editor.fileId }),
  ),
  call(
    'GET …/files/{fileId}/original',
    (w) => ({ url: shared(w, `/files/${w.shared.editor.fileId}/original`) }),
    (w, reply) => expect(reply.body).toBe(w.shared.editor.text),
  ),
  call('DELETE …/files/{fileId}', async (w) => {
    const project = await w.freshProject();
    const file = await createFile(w.t.quarry.store.db, project.id);
    return del(`${projectUrl(project.slug)}/files/${file.id}`);
  }),
  call(
    'GET …/jobs',
    (w) => ({ url: shared(w, '/jobs') }),
    (_w, reply) => expect(json(reply)).toEqual({ pending: 0 }),
  ),
  {
    endpoint: 'GET …/events',
    send: listen,
    check(_w, reply) {
      const { event, projectId, fileId } = json<{
        event: unknown;
        projectId: string;
        fileId: string;
      }>(reply);
      expect(event).toMatchObject({
        event: 'file',
        data: { projectId, fileId, name: 'arrival.txt' },
      });
    },
  },

  call(
    'GET …/documents',
    (w) => ({ url: shared(w, '/documents') }),
    (w, reply) => {
      const { documents } = json<{ documents: Array<{ id: string }> }>(reply);
      expect(sorted(documents.map((d) => d.id))).toEqual(
        sorted(sharedUploads(w).map((u) => u.documentId)),
      );
    },
  ),
  call(
    'GET …/documents/{documentId}',
    (w) => ({ url: shared(w, `/documents/${w.shared.editor.documentId}`) }),
    (w, reply) => {
      expect(json(reply)).toMatchObject({
        id: w.shared.editor.documentId,
        text: w.shared.editor.text,
      });
    },
  ),
  call('DELETE …/documents/{documentId}', async (w) => {
    const project = await w.freshProject();
    const db = w.t.quarry.store.db;
    const document = await createDocument(db, await createFile(db, project.id));
    return del(`${projectUrl(project.slug)}/documents/${document.id}`);
  }),

  call('POST …/search', (w) => post(shared(w, '/search'), { query: 'herons shore' }), checkSearch),
  call(
    'POST …/ask',
    (w) => post(shared(w, '/ask'), { question: QUESTION }),
    (w, reply) => {
      const answer = json<{ grounded: boolean; citations: Citation[] }>(reply);
      expect(answer.grounded).toBe(true);
      checkCitations(w, answer.citations);
    },
  ),
  call(
    'POST …/ask, streamed',
    (w) => ({
      ...post(shared(w, '/ask'), { question: QUESTION }),
      headers: { accept: 'text/event-stream' },
    }),
    (w, reply) => {
      const events = parseEvents(reply.body);
      const cited = events.filter((e) => e.event === 'citation');
      const done = events.at(-1)!;
      expect(done.event).toBe('done');
      const { citations } = done.data as { citations: Citation[] };
      checkCitations(w, citations);
      expect(cited.map((e) => (e.data as { citation: Citation }).citation)).toEqual(citations);
    },
  ),

  call(
    'GET …/members',
    (w) => ({ url: shared(w, '/members') }),
    (w, reply) => {
      const list = json<{ members: Array<{ email: string }>; invitations: unknown[] }>(reply);
      const { owner, editor, viewer, disabled } = w.people;
      expect(sorted(list.members.map((m) => m.email))).toEqual(
        sorted([owner.email, editor.email, viewer.email, disabled.email]),
      );
      expect(list.invitations).toEqual([]);
    },
  ),
  call('POST …/members', async (w) =>
    post(await fresh(w, '/members'), { email: `${w.unique('new')}@example.com`, role: 'viewer' }),
  ),
  call('PATCH …/members/{userId}', async (w) => ({
    method: 'PATCH',
    url: await fresh(w, `/members/${w.people.bystander.userId}`),
    payload: { role: 'editor' },
  })),
  call('DELETE …/members/{userId}', async (w) =>
    del(await fresh(w, `/members/${w.people.bystander.userId}`)),
  ),
  call('POST …/leave', async (w) => post(await fresh(w, '/leave'))),
  call('POST …/transfer', async (w) =>
    post(await fresh(w, '/transfer'), { userId: w.people.bystander.userId }),
  ),
  call('DELETE …/invitations/{invitationId}', async (w) => {
    const project = await w.freshProject();
    const id = (await w.invitation(project.id, `${w.unique('asked')}@example.com`)).id;
    return del(`${projectUrl(project.slug)}/invitations/${id}`);
  }),
  call('POST /invitations/accept', async (w, actor) => {
    const project = await w.freshProject({ bare: true });
    const email = w.accountOf(actor)?.email ?? 'nobody@example.com';
    const { token } = await w.invitation(project.id, email);
    return post(`${API}/invitations/accept`, { token });
  }),
  call(
    'GET …/audit',
    (w) => ({ url: shared(w, '/audit') }),
    (w, reply) => {
      const { events } = json<{
        events: Array<{ projectId: string; action: string; target: { id: string } | null }>;
      }>(reply);
      expect(events.every((e) => e.projectId === w.shared.id)).toBe(true);
      const uploaded = events.filter((e) => e.action === 'document.upload');
      expect(sorted(uploaded.map((e) => e.target!.id))).toEqual(
        sorted(sharedUploads(w).map((u) => u.fileId)),
      );
    },
  ),
  call(
    'GET /admin/audit',
    () => ({ url: `${API}/admin/audit?limit=500` }),
    async (w, reply, actor) => {
      // Administrators read the whole log, other people's projects included.
      const { events } = json<{ events: Array<{ projectId: string | null }> }>(reply);
      const theirs = new Set(await projectIdsOf(w, w.accountOf(actor)!.id));
      expect(events.some((e) => e.projectId && !theirs.has(e.projectId))).toBe(true);
    },
  ),

  call('POST /auth/signup', (w) =>
    post(`${API}/auth/signup`, {
      email: `${w.unique('new')}@example.com`,
      password: 'long enough!',
    }),
  ),
  call('POST /auth/login', (w) =>
    post(`${API}/auth/login`, {
      email: w.people.bystander.email,
      password: w.people.bystander.password,
    }),
  ),
  byStandIn('POST /auth/logout', () => post(`${API}/auth/logout`)),
  call('GET /auth/csrf', () => ({ url: `${API}/auth/csrf` })),
  call(
    'GET /auth/me',
    () => ({ url: `${API}/auth/me` }),
    (w, reply, actor) =>
      expect(json(reply)).toMatchObject({ user: { id: w.accountOf(actor)!.id } }),
  ),
  call('PATCH /auth/me', () => ({
    method: 'PATCH',
    url: `${API}/auth/me`,
    payload: { name: 'N' },
  })),
  byStandIn('DELETE /auth/me', (account) =>
    del(`${API}/auth/me`, { password: account?.password ?? 'not known' }),
  ),
  byStandIn('POST /auth/password', (account) =>
    post(`${API}/auth/password`, {
      currentPassword: account?.password ?? 'not known',
      newPassword: 'a new password, long enough',
    }),
  ),
  call('POST /auth/password-reset', (w) =>
    post(`${API}/auth/password-reset`, { email: w.people.bystander.email }),
  ),
  call('POST /auth/password-reset/confirm', async (w) =>
    post(`${API}/auth/password-reset/confirm`, {
      token: await w.resetToken(await w.newAccount()),
      newPassword: 'a new password, long enough',
    }),
  ),

  call(
    'GET /keys',
    () => ({ url: `${API}/keys` }),
    async (w, reply, actor) => {
      const ids = json<{ keys: Array<{ id: string }> }>(reply).keys.map((k) => k.id);
      expect(sorted(ids)).toEqual(sorted(await keyIdsOf(w, w.accountOf(actor)!.id)));
    },
  ),
  call('POST /keys', (w) => post(`${API}/keys`, { name: w.unique('key'), scopes: ['read'] })),
  call('DELETE /keys/{keyId}', async (w) => {
    const owner = w.accountOf('owner')!;
    return del(`${API}/keys/${(await w.newKey(owner, ['read'])).id}`);
  }),

  call(
    'GET /admin/users',
    () => ({ url: `${API}/admin/users` }),
    (w, reply) => {
      const emails = json<{ users: Array<{ email: string }> }>(reply).users.map((u) => u.email);
      expect(emails).toEqual(
        expect.arrayContaining([w.people.owner.email, w.people.outsider.email]),
      );
    },
  ),
  call('POST /admin/users', (w) =>
    post(`${API}/admin/users`, {
      email: `${w.unique('made')}@example.com`,
      password: 'long enough!',
    }),
  ),
  call('PATCH /admin/users/{userId}', (w) => ({
    method: 'PATCH',
    url: `${API}/admin/users/${w.people.bystander.userId}`,
    payload: { disabled: false },
  })),
  call('DELETE /admin/users/{userId}', async (w) =>
    del(`${API}/admin/users/${(await w.newAccount()).id}`),
  ),
  call('GET /admin/system', () => ({ url: `${API}/admin/system` })),
  call('GET /healthz', () => ({ url: '/healthz' })),
  call('GET /readyz', () => ({ url: '/readyz' })),
];
