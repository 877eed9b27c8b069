import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '@quarry/store/test-support';
import { API, apiKeyClient, type Client } from '../test-support/accounts.js';
import { openEventStream, upload, type EventStream } from '../test-support/http.js';
import { buildWorld, type World } from './test-support/authorization.world.js';

const encode = (text: string) => new TextEncoder().encode(text);

const KINGFISHERS = 'Kingfishers dive from the willow branch above the weir for minnows.';
const QUESTION = 'Where do kingfishers dive from?';

interface Project {
  id: string;
  slug: string;
  url: string;
  /** The document about kingfishers, uploaded by the editor. */
  documentId: string;
}

/** Everything a caller can read of a project's kingfisher document, by status and content. */
async function reach(client: Client, project: Project) {
  const document = await client.inject({ url: `${project.url}/documents/${project.documentId}` });
  const list = await client.inject({ url: `${project.url}/documents` });
  const search = await client.inject({
    method: 'POST',
    url: `${project.url}/search`,
    payload: { query: 'kingfishers willow' },
  });
  const ask = await client.inject({
    method: 'POST',
    url: `${project.url}/ask`,
    payload: { question: QUESTION },
  });
  const ids = <T>(response: typeof list, pick: (body: T) => string[]) =>
    response.statusCode === 200 ? pick(response.json<T>()) : [];
  return {
    statuses: [document, list, search, ask].map((r) => r.statusCode),
    listed: ids<{ documents: Array<{ id: string }> }>(list, (b) => b.documents.map((d) => d.id)),
    found: ids<{ hits: Array<{ documentId: string }> }>(search, (b) =>
      b.hits.map((h) => h.documentId),
    ),
    cited: ids<{ citations: Array<{ documentId: string }> }>(ask, (b) =>
      b.citations.map((c) => c.documentId),
    ),
  };
}

describe.each(STORE_KINDS)('losing access at once, on %s', (kind) => {
  let w: World;

  beforeAll(async () => {
    w = await buildWorld(kind);
  });
  afterAll(async () => w?.t.cleanup());

  /** A fresh project of the owner's where the editor uploaded a document about kingfishers. */
  async function projectWithKingfishers(): Promise<Project> {
    const { id, slug } = await w.freshProject();
    const url = `${API}/projects/${slug}`;
    const sent = await upload(w.people.editor, slug, [
      { name: 'kingfishers.txt', bytes: encode(KINGFISHERS) },
      { name: 'herons.txt', bytes: encode(w.shared.owner.text) },
    ]);
    expect(sent.statusCode).toBe(202);
    await w.t.quarry.drain();
    const { documents } = (await w.t.inject({ url: `${url}/documents` })).json<{
      documents: Array<{ id: string; fileName: string }>;
    }>();
    return {
      id,
      slug,
      url,
      documentId: documents.find((d) => d.fileName === 'kingfishers.txt')!.id,
    };
  }

  /** The editor uploads a file: each open stream either hears of it or has been ended. */
  async function somethingHappens(project: Project) {
    const name = `${w.unique('later')}.txt`;
    await upload(w.people.editor, project.slug, [{ name, bytes: encode(`Later, ${name}.`) }]);
    return name;
  }

  const ended = async (stream: EventStream) => ({
    event: await stream.next(),
    ended: stream.ended(),
  });

  it('forgets a deleted document at once in reads, lists, search and answers', async () => {
    const project = await projectWithKingfishers();
    const readers = [w.client('viewer'), w.client('readKey')];
    for (const reader of readers) {
      expect(await reach(reader, project)).toMatchObject({
        statuses: [200, 200, 200, 200],
        found: [project.documentId],
        cited: [project.documentId],
      });
    }

    const deleted = await w.client('editor').inject({
      method: 'DELETE',
      url: `${project.url}/documents/${project.documentId}`,
    });
    expect(deleted.statusCode).toBe(204);

    for (const reader of readers) {
      const after = await reach(reader, project);
      expect(after.statuses).toEqual([404, 200, 200, 200]);
      expect(after.listed).toHaveLength(1);
      expect([...after.listed, ...after.found, ...after.cited]).not.toContain(project.documentId);
    }
  });

  it("ends a removed member's access at once: sessions, keys and open streams", async () => {
    const project = await projectWithKingfishers();
    const viewer = w.people.viewer;
    const key = await w.newKey(w.accountOf('viewer')!, ['read']);
    const clients = [viewer, apiKeyClient(w.t, key.secret)];
    const streams = await Promise.all(
      clients.map((client) => openEventStream(client, `${project.url}/events`)),
    );
    const editorStream = await openEventStream(w.people.editor, `${project.url}/events`);
    for (const client of clients) {
      expect((await reach(client, project)).statuses).toEqual([200, 200, 200, 200]);
    }

    const removed = await w.people.owner.inject({
      method: 'DELETE',
      url: `${project.url}/members/${viewer.userId}`,
    });
    expect(removed.statusCode).toBe(204);

    for (const client of clients) {
      expect((await reach(client, project)).statuses).toEqual([404, 404, 404, 404]);
    }
    const name = await somethingHappens(project);
    expect(await editorStream.next()).toMatchObject({ event: 'file', data: { name } });
    for (const stream of streams) expect(await ended(stream)).toEqual({ event: null, ended: true });
    for (const stream of [...streams, editorStream]) stream.close();
  });

  it('refuses a revoked key at once, and ends the event stream it opened', async () => {
    const project = await projectWithKingfishers();
    const key = await w.newKey(w.accountOf('owner')!, ['read']);
    const client = apiKeyClient(w.t, key.secret);
    const stream = await openEventStream(client, `${project.url}/events`);
    expect((await reach(client, project)).statuses).toEqual([200, 200, 200, 200]);

    const revoked = await w.people.owner.inject({ method: 'DELETE', url: `${API}/keys/${key.id}` });
    expect(revoked.statusCode).toBe(204);

    expect((await reach(client, project)).statuses).toEqual([401, 401, 401, 401]);
    // The key's owner goes on working in the project meanwhile, with a session.
    const byId = await w.people.owner.inject({ url: `${API}/projects/${project.id}` });
    expect(byId.statusCode).toBe(200);
    await somethingHappens(project);
    expect(await ended(stream)).toEqual({ event: null, ended: true });
    stream.close();
  });

  it("ends a disabled account's sessions, keys and open streams at once", async () => {
    const project = await projectWithKingfishers();
    const account = await w.newAccount();
    const invited = await w.people.owner.inject({
      method: 'POST',
      url: `${project.url}/members`,
      payload: { email: account.email, role: 'viewer' },
    });
    expect(invited.statusCode).toBe(201);
    const browser = await w.newSession(account);
    const key = await w.newKey(account, ['read']);
    const clients = [browser, apiKeyClient(w.t, key.secret)];
    const streams = await Promise.all(
      clients.map((client) => openEventStream(client, `${project.url}/events`)),
    );
    for (const client of clients) {
      expect((await reach(client, project)).statuses).toEqual([200, 200, 200, 200]);
    }

    const disabled = await w.people.administrator.inject({
      method: 'PATCH',
      url: `${API}/admin/users/${account.id}`,
      payload: { disabled: true },
    });
    expect(disabled.statusCode).toBe(200);

    for (const client of clients) {
      expect((await reach(client, project)).statuses).toEqual([401, 401, 401, 401]);
    }
    await somethingHappens(project);
    for (const stream of streams) expect(await ended(stream)).toEqual({ event: null, ended: true });
    for (const stream of streams) stream.close();
  });
});
