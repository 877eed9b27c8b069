import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { count, eq, isNull, sql } from 'drizzle-orm';
import { chunks, documents, embeddings, resultRows, vectorIndexName } from '@quarry/store';
import { STORE_KINDS } from '@quarry/store/test-support';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';
import { parseEvents, upload } from '../test-support/http.js';

const topics: Record<string, string[]> = {
  turbine: [
    'The turbine bearing temperature rose after the outage.',
    'Vibration in the turbine shaft grew as the bearing wore.',
    'Replace the turbine bearing and check shaft alignment at the next outage.',
  ],
  garden: [
    'Tomatoes need sun, water and rich compost in the garden.',
    'Prune the roses in early spring before new growth.',
    'Compost improves the soil of every garden bed.',
  ],
  finance: [
    'The quarterly budget shows higher spending on travel.',
    'Invoices are paid within thirty days of receipt.',
    'The auditor reviewed the budget and the invoices.',
  ],
};

/** Sixty small files on three topics, so a latent space has something to learn. */
function corpus() {
  const out: Array<{ name: string; bytes: Uint8Array }> = [];
  for (const [topic, sentences] of Object.entries(topics)) {
    for (let i = 0; i < 20; i++) {
      const body = sentences.map((s, j) => (j === i % 3 ? `${s} Note ${i}.` : s)).join('\n\n');
      out.push({ name: `${topic}-${i}.txt`, bytes: new TextEncoder().encode(body) });
    }
  }
  out.push({
    name: 'hostile.html',
    bytes: new TextEncoder().encode(
      '<html><head><title>Hostile</title></head>' +
        '<body><p>turbine &lt;script&gt;alert(1)&lt;/script&gt; notes</p></body></html>',
    ),
  });
  return out;
}

interface SearchBody {
  total: number;
  hits: Array<{
    title: string;
    fileName: string;
    kind: string;
    score: number;
    passages: Array<{ snippet: string; start: number; end: number }>;
  }>;
}

describe.each(STORE_KINDS)('search and answers over HTTP on %s', (kind) => {
  let t: TestQuarry;
  const search = async (payload: Record<string, unknown>) => {
    const response = await t.inject({
      method: 'POST',
      url: '/api/v1/projects/notes/search',
      payload,
    });
    expect(response.statusCode).toBe(200);
    return response.json<SearchBody>();
  };

  beforeAll(async () => {
    t = await startTestQuarry(kind);
    await t.inject({
      method: 'POST',
      url: '/api/v1/projects',
      payload: { name: 'notes' },
    });
    const response = await upload(t, 'notes', corpus());
    expect(response.statusCode).toBe(202);
    await t.quarry.drain();
  });

  afterAll(async () => t?.cleanup());

  it('fits its model on chunks with words, not on a file of one endless word', async () => {
    await t.inject({ method: 'POST', url: '/api/v1/projects', payload: { name: 'mixed' } });
    // 300,000 letters without a break: chunked, but no chunk holds a word an analyzer keeps.
    const endless = {
      name: 'endless.txt',
      bytes: new TextEncoder().encode('quarry'.repeat(50_000)),
    };
    const few = corpus().slice(0, 3);
    expect((await upload(t, 'mixed', [endless, ...few])).statusCode).toBe(202);
    await t.quarry.drain();
    const project = (await t.inject({ url: '/api/v1/projects/mixed' })).json<{ id: string }>();
    const [empty] = await t.quarry.store.db
      .select({ n: count() })
      .from(chunks)
      .where(sql`${chunks.projectId} = ${project.id} and cardinality(${chunks.terms}) = 0`);
    expect(empty!.n).toBeGreaterThan(100);
    // Three chunks with words are too few to learn from, however many empty ones there are.
    const semantic = { query: 'bearing wore', mode: 'semantic' };
    const before = await t.inject({
      method: 'POST',
      url: '/api/v1/projects/mixed/search',
      payload: semantic,
    });
    expect(before.statusCode).toBe(409);
    expect(before.json()).toMatchObject({ error: { code: 'semantic_unavailable' } });

    expect((await upload(t, 'mixed', corpus().slice(3))).statusCode).toBe(202);
    await t.quarry.drain();
    const after = await t.inject({
      method: 'POST',
      url: '/api/v1/projects/mixed/search',
      payload: semantic,
    });
    const files = after.json<SearchBody>().hits.map((hit) => hit.fileName);
    expect(files.slice(0, 3).every((name) => name.startsWith('turbine-'))).toBe(true);
  });

  it('learns an embedding model and stores a vector for every chunk', async () => {
    const db = t.quarry.store.db;
    const [chunkCount] = await db.select({ n: count() }).from(chunks);
    const [vectorCount] = await db.select({ n: count() }).from(embeddings);
    expect(chunkCount!.n).toBeGreaterThanOrEqual(61);
    expect(vectorCount!.n).toBe(chunkCount!.n);
  });

  it.runIf(kind === 'postgres')(
    'builds the pgvector HNSW index that serves semantic search, with fresh statistics',
    async () => {
      const result = await t.quarry.store.db.execute(
        sql`SELECT indexname FROM pg_indexes WHERE tablename = 'embeddings'`,
      );
      const names = resultRows<{ indexname: string }>(result).map((row) => row.indexname);
      expect(names).toContain(vectorIndexName(t.settings.embedding.dimension));

      // The fit refreshed the vectors' planner statistics itself (autovacuum's own runs are
      // recorded apart, as last_autoanalyze), so the planner knows to use that index.
      const stats = await t.quarry.store.db.execute(
        sql`SELECT last_analyze FROM pg_stat_user_tables WHERE relname = 'embeddings'`,
      );
      expect(resultRows<{ last_analyze: unknown }>(stats)[0]?.last_analyze).toBeTruthy();
    },
  );

  it.each(['hybrid', 'keyword', 'semantic'] as const)(
    'finds turbine documents in %s mode',
    async (mode) => {
      const body = await search({ query: 'turbine bearing vibration', mode, limit: 5 });
      expect(body.hits.length).toBeGreaterThan(0);
      expect(body.hits.slice(0, 5).every((h) => h.fileName.startsWith('turbine'))).toBe(true);
    },
  );

  it('groups passages by document and pages through the results', async () => {
    const first = await search({ query: 'garden compost', limit: 4, offset: 0 });
    const second = await search({ query: 'garden compost', limit: 4, offset: 4 });
    const names = [...first.hits, ...second.hits].map((h) => h.fileName);
    expect(new Set(names).size).toBe(names.length);
    expect(first.hits).toHaveLength(4);
    expect(first.total).toBeGreaterThanOrEqual(8);
  });

  it('cuts every page from one ranking: no document repeated or skipped, in any mode', async () => {
    // More matching chunks than one page's ranking window holds.
    const files = Array.from({ length: 130 }, (_, i) => ({
      name: `pump-${i}.txt`,
      bytes: new TextEncoder().encode(
        `Pump ${i} inspection: the pump seal wore after ${i % 7} years of duty. ` +
          `Bearing ${i % 11} vibration rose and the impeller was replaced.`,
      ),
    }));
    await t.inject({ method: 'POST', url: '/api/v1/projects', payload: { name: 'pumps' } });
    expect((await upload(t, 'pumps', files)).statusCode).toBe(202);
    await t.quarry.drain();
    await t.quarry.settle();

    for (const mode of ['hybrid', 'keyword', 'semantic']) {
      const pages: SearchBody[] = [];
      for (let offset = 0; offset <= 200; offset += 10) {
        const response = await t.inject({
          method: 'POST',
          url: '/api/v1/projects/pumps/search',
          payload: { query: 'pump seal vibration', mode, limit: 10, offset },
        });
        expect(response.statusCode).toBe(200);
        pages.push(response.json<SearchBody>());
      }
      const total = pages[0]!.total;
      expect(total).toBeGreaterThanOrEqual(30);
      expect(pages.every((page) => page.total === total)).toBe(true);
      const seen = pages.flatMap((page) => page.hits.map((hit) => hit.fileName));
      expect(new Set(seen).size).toBe(seen.length);
      expect(seen).toHaveLength(total);
    }
  });

  it('highlights matches and escapes markup in snippets', async () => {
    const body = await search({ query: 'turbine notes', mode: 'keyword', limit: 100 });
    const hostile = body.hits.find((h) => h.fileName === 'hostile.html');
    expect(hostile).toBeDefined();
    const snippet = hostile!.passages[0]!.snippet;
    expect(snippet).toContain('<mark>');
    expect(snippet).not.toContain('<script>');
    expect(snippet).toContain('&lt;script&gt;');
  });

  it('filters by document type', async () => {
    const body = await search({ query: 'turbine', kinds: ['html'], limit: 20 });
    expect(body.hits.map((h) => h.fileName)).toEqual(['hostile.html']);
  });

  it('returns nothing for a query with nothing relevant', async () => {
    for (const mode of ['hybrid', 'keyword'] as const) {
      const body = await search({ query: 'zxqv blorp', mode });
      expect(body.hits).toEqual([]);
    }
  });

  it('treats quotes, operators and stray punctuation as text', async () => {
    for (const query of ['"turbine', "bearing's AND -vibration*", '((()))', '\u0000', '']) {
      const response = await t.inject({
        method: 'POST',
        url: '/api/v1/projects/notes/search',
        payload: { query },
      });
      expect(response.statusCode).toBe(200);
    }
  });

  it('answers with citations that point at retrieved passages', async () => {
    const response = await t.inject({
      method: 'POST',
      url: '/api/v1/projects/notes/ask',
      payload: { question: 'What should we replace at the next outage?' },
    });
    expect(response.statusCode).toBe(200);
    const answer = response.json<{
      answer: string;
      grounded: boolean;
      citations: Array<{
        n: number;
        documentId: string;
        quote: string;
        start: number;
        end: number;
      }>;
    }>();
    expect(answer.grounded).toBe(true);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer.answer).toMatch(/\[1\]/);
    expect(answer.answer.toLowerCase()).toContain('bearing');
    for (const citation of answer.citations) {
      const document = await t.inject({
        url: `/api/v1/projects/notes/documents/${citation.documentId}`,
      });
      const text = document.json<{ text: string }>().text;
      expect(text.slice(citation.start, citation.end)).toContain(
        citation.quote.replace(/ …$/, '').slice(0, 20),
      );
    }
  });

  it('streams the answer as server-sent events', async () => {
    const response = await t.inject({
      method: 'POST',
      url: '/api/v1/projects/notes/ask',
      headers: { accept: 'text/event-stream' },
      payload: { question: 'How are invoices paid?' },
    });
    expect(response.headers['content-type']).toContain('text/event-stream');
    const events = parseEvents(response.body);
    expect(events.filter((e) => e.event === 'token').length).toBeGreaterThan(1);
    const done = events.at(-1)!;
    expect(done.event).toBe('done');
    const data = done.data as { answer: string; citations: Array<{ n: number }> };
    expect(data.citations.length).toBeGreaterThan(0);
  });

  it('says so instead of inventing when nothing is relevant', async () => {
    const response = await t.inject({
      method: 'POST',
      url: '/api/v1/projects/notes/ask',
      payload: { question: 'zxqv blorp quux?' },
    });
    const answer = response.json<{ grounded: boolean; citations: unknown[] }>();
    expect(answer.grounded).toBe(false);
    expect(answer.citations).toEqual([]);
  });

  it('forgets a deleted file everywhere at once', async () => {
    const listed = await t.inject({ url: '/api/v1/projects/notes/files?limit=100' });
    const file = listed
      .json<{ files: Array<{ id: string; name: string }> }>()
      .files.find((f) => f.name === 'hostile.html')!;
    const removed = await t.inject({
      method: 'DELETE',
      url: `/api/v1/projects/notes/files/${file.id}`,
    });
    expect(removed.statusCode).toBe(204);
    const body = await search({ query: 'turbine notes', mode: 'keyword', limit: 50 });
    expect(body.hits.map((h) => h.fileName)).not.toContain('hostile.html');
    const db = t.quarry.store.db;
    const [orphanChunks] = await db
      .select({ n: count() })
      .from(chunks)
      .leftJoin(documents, eq(documents.id, chunks.documentId))
      .where(isNull(documents.id));
    const [orphanVectors] = await db
      .select({ n: count() })
      .from(embeddings)
      .leftJoin(chunks, eq(chunks.id, embeddings.chunkId))
      .where(isNull(chunks.id));
    const [left] = await db
      .select({ n: count() })
      .from(documents)
      .where(eq(documents.fileId, file.id));
    expect([orphanChunks!.n, orphanVectors!.n, left!.n]).toEqual([0, 0, 0]);
  });
});
