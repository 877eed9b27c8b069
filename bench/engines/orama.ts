/**
 * Orama 3.1.18 full-text search: BM25, its built-in English stemmer, Quarry's stop-word
 * list, default threshold (any term matches) and default term matching (Orama matches
 * indexed words that start with a query word).
 */
import { create, insertMultiple, search } from '@orama/orama';
import { ENGLISH_STOP_WORDS } from '@quarry/core';
import { documentEngineResult, runEngine, timed, timeQueries } from './engine.js';

const LIMIT = 10;
/** Orama's own default batch size for bulk inserts. */
const INSERT_BATCH = 1_000;

await runEngine(async ({ meta, readDocuments }) => {
  const documents = readDocuments();
  const [db, ingestMs] = await timed(async () => {
    const db = create({
      schema: { title: 'string', text: 'string' },
      components: {
        tokenizer: { language: 'english', stemming: true, stopWords: [...ENGLISH_STOP_WORDS] },
      },
    });
    await insertMultiple(
      db,
      documents.map((d) => ({ id: d._id, title: d.title, text: d.text })),
      INSERT_BATCH,
    );
    return db;
  });

  const keyword = await timeQueries(meta, async (text) => {
    const result = await search(db, { term: text, properties: ['title', 'text'], limit: LIMIT });
    return result.hits.length;
  });

  return documentEngineResult('orama', 'Orama 3.1.18', documents.length, ingestMs, keyword);
});
