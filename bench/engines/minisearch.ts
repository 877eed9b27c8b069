/**
 * MiniSearch 7.2.0 with its defaults (lower-cased words, OR of terms, no prefix or fuzzy
 * matching) plus Quarry's English stop-word list; MiniSearch ships no stemmer.
 */
import MiniSearch from 'minisearch';
import { ENGLISH_STOP_WORDS } from '@quarry/core';
import { documentEngineResult, runEngine, timed, timeQueries } from './engine.js';

const LIMIT = 10;

await runEngine(async ({ meta, readDocuments }) => {
  const documents = readDocuments();
  const [index, ingestMs] = await timed(() => {
    const search = new MiniSearch({
      idField: '_id',
      fields: ['title', 'text'],
      processTerm: (term) => {
        const lower = term.toLowerCase();
        return ENGLISH_STOP_WORDS.has(lower) ? null : lower;
      },
    });
    search.addAll(documents);
    return search;
  });

  const keyword = await timeQueries(meta, (text) => index.search(text).slice(0, LIMIT).length);

  return documentEngineResult(
    'minisearch',
    'MiniSearch 7.2.0',
    documents.length,
    ingestMs,
    keyword,
  );
});
