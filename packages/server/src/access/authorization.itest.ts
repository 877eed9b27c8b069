import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '@quarry/store/test-support';
import { ENDPOINTS, type Reply } from './test-support/authorization.endpoints.js';
import { AUTHORIZATION_TABLE, openApiRoute, rowText } from './test-support/authorization.table.js';
import {
  ACTORS,
  PRIVATE_MARKER,
  buildWorld,
  type Actor,
  type World,
} from './test-support/authorization.world.js';

/** The one endpoint whose readers may see other people's projects: the administrators' log. */
const SEES_EVERY_PROJECT = 'GET /admin/audit';

const sorted = (values: Iterable<string>) => [...values].sort();

// The whole table runs on both stores: it takes seconds, and PGlite and PostgreSQL plan the
// membership conditions differently.
describe.each(STORE_KINDS)('who may call which endpoint, on %s', (kind) => {
  let w: World;
  /** `METHOD /path` of every operation in the OpenAPI document. */
  let served: Set<string>;

  beforeAll(async () => {
    w = await buildWorld(kind);
    const openApi = await w.t.inject({ url: '/openapi.json' });
    const { paths } = openApi.json<{ paths: Record<string, Record<string, unknown>> }>();
    served = new Set(
      Object.entries(paths).flatMap(([path, operations]) =>
        Object.keys(operations).map((method) => `${method.toUpperCase()} ${path}`),
      ),
    );
  });
  afterAll(async () => w?.t.cleanup());

  it('has a row and a way to call it for every endpoint the API serves', () => {
    const rows = new Set(AUTHORIZATION_TABLE.map((row) => openApiRoute(row.endpoint)));
    expect([...served].filter((route) => !rows.has(route))).toEqual([]);
    expect(sorted(ENDPOINTS.map((e) => e.endpoint))).toEqual(
      sorted(AUTHORIZATION_TABLE.map((row) => row.endpoint)),
    );
  });

  it.for(AUTHORIZATION_TABLE)(
    '$endpoint answers every caller as its row says, and never with another project’s words',
    async (row) => {
      expect([...served], 'a row for a route the API does not serve').toContain(
        openApiRoute(row.endpoint),
      );
      const endpoint = ENDPOINTS.find((e) => e.endpoint === row.endpoint)!;

      const replies = new Map<Actor, Reply>();
      for (const actor of ACTORS) replies.set(actor, await endpoint.send(w, actor));
      const reply = (actor: Actor) => replies.get(actor)!;
      const statuses = Object.fromEntries(ACTORS.map((a) => [a, reply(a).statusCode]));
      const surprises = ACTORS.filter((a) => reply(a).statusCode !== row.statuses[a]).map(
        (a) => `${a} got ${reply(a).statusCode}: ${reply(a).body.slice(0, 300)}`,
      );
      expect(rowText(statuses as Record<Actor, number>), surprises.join('\n')).toBe(
        rowText(row.statuses),
      );

      const { upload } = w.private;
      const leak = new RegExp(`${PRIVATE_MARKER}|${upload.documentId}|${upload.fileId}`, 'i');
      for (const actor of ACTORS) {
        if (row.endpoint !== SEES_EVERY_PROJECT) {
          expect(reply(actor).body, `${actor} read another person's project`).not.toMatch(leak);
        }
        if (reply(actor).statusCode >= 300) continue;
        try {
          await endpoint.check?.(w, reply(actor), actor);
        } catch (error) {
          throw new Error(`as ${actor}: ${(error as Error).message}`, { cause: error });
        }
      }
    },
  );
});
