/**
 * lunr 2.3.9 with its default English pipeline (trimmer, stop words, Porter stemmer). The
 * query is built term by term rather than parsed, so words such as `-` or `:` in a question
 * mean nothing special, as in Quarry; every term is optional (OR), lunr's default.
 */
import lunr from 'lunr';
import { documentEngineResult, runEngine, timed, timeQueries } from './engine.js';

const LIMIT = 10;

await runEngine(async ({ meta, readDocuments }) => {
  const documents = readDocuments();
  const [index, ingestMs] = await timed(() =>
    lunr(function () {
      this.ref('_id');
      this.field('title');
      this.field('text');
      for (const document of documents) this.add(document);
    }),
  );

  const keyword = await timeQueries(meta, (text) => {
    const hits = index.query((query) => {
      query.term(lunr.tokenizer(text), {});
    });
    return hits.slice(0, LIMIT).length;
  });

  return documentEngineResult('lunr', 'lunr 2.3.9', documents.length, ingestMs, keyword);
});
