import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { eq } from 'drizzle-orm';
import { embeddingModels } from '@quarry/store';
import { STORE_KINDS } from '@quarry/store/test-support';
import { LOCAL_ADMIN } from '../quarry.js';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';

const PROJECT = 'plant';

const sentences = {
  plant: [
    'The turbine bearing ran hot before the outage.',
    'Vibration in the shaft rose as the bearing wore.',
    'Oil pressure fell at the pump during the night shift.',
    'The generator tripped when the cooling water ran low.',
    'Alignment of the shaft was checked after the repair.',
    'A new seal stopped the leak at the pump.',
  ],
  garden: [
    'Compost feeds the garden soil.',
    'Roses want sun and water in early spring.',
    'Tomatoes grow well against a warm wall.',
    'Prune the hedge before the birds nest.',
    'Mulch keeps the soil moist through the summer.',
    'Slugs eat the young lettuce at night.',
  ],
};

const extras = {
  plant: ['valve', 'motor', 'fan', 'boiler', 'crane', 'filter', 'relay', 'gearbox'],
  garden: ['apple', 'bean', 'daisy', 'fern', 'ivy', 'onion', 'pear', 'thyme'],
};

/**
 * `count` small files on two topics, each a different mix of its topic's sentences and
 * words (every word of them in several files, so the model knows it), and a number.
 */
function files(from: number, count: number) {
  return Array.from({ length: count }, (_, k) => {
    const i = from + k;
    const topic = i % 2 === 0 ? 'plant' : 'garden';
    const pool = sentences[topic];
    const words = extras[topic];
    const text = [
      pool[i % 6],
      pool[(i * 5 + 1) % 6],
      `Checked the ${words[i % 8]} and the ${words[(i * 3 + 1) % 8]}.`,
      `Note ${i}.`,
    ].join(' ');
    return { name: `note-${i}.txt`, bytes: new TextEncoder().encode(text) };
  });
}

/**
 * Delays PGlite's reads of stored vectors by chunk (how the search index loads them) until
 * `release()`; every other statement runs as usual.
 */
function holdVectorLoads(t: TestQuarry) {
  type Query = (text: string, ...rest: unknown[]) => Promise<unknown>;
  const client = (t.quarry.store.db as unknown as { $client: { query: Query } }).$client;
  const query = client.query.bind(client);
  let release!: () => void;
  const gate = new Promise<void>((resolve) => (release = resolve));
  let waiting = 0;
  client.query = async (text, ...rest) => {
    if (/from "embeddings" where .*"embeddings"\."chunk_id" > /i.test(text)) {
      waiting += 1;
      await gate;
    }
    return query(text, ...rest);
  };
  return {
    waiting: () => waiting,
    release: () => {
      client.query = query;
      release();
    },
  };
}

describe.each(STORE_KINDS)('search across an embedding model change on %s', (kind) => {
  let t: TestQuarry;

  const activeModel = async () => {
    const rows = await t.quarry.store.db
      .select({ id: embeddingModels.id })
      .from(embeddingModels)
      .where(eq(embeddingModels.active, true));
    return rows.map((row) => row.id);
  };
  const semantic = async (query: string) => {
    const response = await t.quarry.search.search(LOCAL_ADMIN, PROJECT, {
      query,
      mode: 'semantic',
      limit: 20,
      passages: 1,
    });
    return response.hits.map((hit) => ({ id: hit.documentId, score: hit.score }));
  };

  beforeAll(async () => {
    t = await startTestQuarry(kind);
    await t.quarry.projects.create(LOCAL_ADMIN, { name: PROJECT });
    await t.quarry.ingest.upload(LOCAL_ADMIN, PROJECT, files(0, 60));
    await t.quarry.settle();
  });

  afterAll(async () => t?.cleanup());

  it('serves a new model at once from the database, then from memory, same hits', async () => {
    const before = await activeModel();
    expect(before).toHaveLength(1);
    // The index is loaded and serves the first model.
    expect((await semantic('turbine vibration')).length).toBeGreaterThan(0);

    // Doubling the project refits the model; the worker's drain returns with the new
    // model's vectors committed. In embedded mode the in-process index of them is held back
    // here until the interim search has run, so that the database is seen serving it.
    const held = kind === 'pglite' ? holdVectorLoads(t) : undefined;
    await t.quarry.ingest.upload(LOCAL_ADMIN, PROJECT, files(60, 70));
    await t.quarry.drain();
    const after = await activeModel();
    expect(after).toHaveLength(1);
    expect(after).not.toEqual(before);

    const interim = await semantic('turbine vibration');
    if (held) expect(held.waiting()).toBeGreaterThan(0);
    held?.release();
    await t.quarry.settle();
    const settled = await semantic('turbine vibration');

    // The same scores in the same order; documents that tie (these notes differ only in a
    // number) may come in either order, so ids are compared as sets above the last score.
    expect(interim.length).toBeGreaterThan(0);
    expect(interim).toHaveLength(settled.length);
    interim.forEach((hit, i) => expect(hit.score).toBeCloseTo(settled[i]!.score, 4));
    const last = settled[settled.length - 1]!.score;
    const above = (hits: typeof interim) =>
      new Set(hits.filter((hit) => hit.score > last + 1e-4).map((hit) => hit.id));
    expect(above(interim)).toEqual(above(settled));
    // New documents are found by meaning, with vectors of the new model.
    const garden = await semantic('roses compost soil');
    expect(garden.length).toBeGreaterThan(0);
  });
});
