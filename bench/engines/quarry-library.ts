/**
 * Quarry as a library: the workload's JSON Lines files go through `extractFile` and
 * `chunkDocument` (untimed for throughput, reported as a phase), then every chunk is
 * analyzed, an LSA model is fitted on all chunks and embeds them, and a `SearchIndex`
 * receives the vectors (in bulk) and each chunk's terms. Ingest throughput covers analyze +
 * add, as for the other engines (tokenize + index); fitting and embedding are reported
 * beside it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  chunkDocument,
  createVectorIndex,
  DEFAULT_CHUNKING,
  DEFAULT_LSA_OPTIONS,
  englishAnalyzer,
  extractFile,
  fitLsaModel,
  HnswVectorIndex,
  LsaEmbedder,
  SearchIndex,
  type Chunk,
} from '@quarry/core';
import { peakRssMb } from '../result.js';
import { corpusFiles } from '../workload.js';
import { perSecond, runEngine, timed, timeQueries } from './engine.js';

const LIMIT = 10;

await runEngine(async ({ dir, meta, dimension }) => {
  // The parent passes the server's default dimension, so library and server figures compare.
  // (Importing the server here would load Fastify and PGlite into this process's RSS.)
  const lsaDimension = dimension ?? DEFAULT_LSA_OPTIONS.dimension;
  const analyzer = englishAnalyzer;

  const [chunks, extractMs] = await timed(async () => {
    const all: Chunk[] = [];
    for (const file of corpusFiles(dir)) {
      const extracted = await extractFile(readFileSync(file), { fileName: path.basename(file) });
      for (const document of extracted.documents) {
        all.push(...chunkDocument(document, DEFAULT_CHUNKING));
      }
    }
    return all;
  });

  const [termLists, analyzeMs] = await timed(() =>
    chunks.map((c) => analyzer.analyze(c.prefix ? `${c.prefix}\n${c.text}` : c.text)),
  );
  const [model, lsaFitMs] = await timed(() =>
    fitLsaModel(termLists, { dimension: lsaDimension, analyzerId: analyzer.id }),
  );
  const embedder = new LsaEmbedder(model, analyzer);
  const [vectors, embedMs] = await timed(() => termLists.map((t) => embedder.embedTerms(t)));

  // As the server rebuilds a project: vectors in bulk (a graph inserts on every core), then
  // each chunk's terms.
  const ids = termLists.map((_, i) => i + 1);
  const [vectorIndex, vectorAddMs] = await timed(() => {
    const vectorIndex = createVectorIndex(lsaDimension, termLists.length);
    if (vectorIndex instanceof HnswVectorIndex) vectorIndex.addMany(ids, vectors);
    else ids.forEach((id, i) => vectorIndex.add(id, vectors[i]!));
    return vectorIndex;
  });
  const index = new SearchIndex({ analyzer, vectors: vectorIndex, embedder });
  const [, keywordAddMs] = await timed(() => {
    ids.forEach((id, i) => index.keyword.add(id, termLists[i]!));
  });
  const addMs = vectorAddMs + keywordAddMs;

  const keyword = await timeQueries(meta, async (text) => {
    return (await index.search(text, { mode: 'keyword', limit: LIMIT })).length;
  });
  const hybrid = await timeQueries(meta, async (text) => {
    return (await index.search(text, { mode: 'hybrid', limit: LIMIT })).length;
  });

  const ingestMs = analyzeMs + addMs;
  return {
    engine: 'quarry-library',
    label: 'Quarry (library)',
    documents: meta.documents,
    units: chunks.length,
    unitName: 'chunks',
    ingestMs,
    ingestPerSecond: perSecond(chunks.length, ingestMs),
    phases: {
      extractAndChunkMs: extractMs,
      analyzeMs,
      lsaFitMs,
      embedMs,
      keywordAddMs,
      vectorAddMs,
      allInChunksPerSecond: perSecond(chunks.length, analyzeMs + lsaFitMs + embedMs + addMs),
      lsaDimension,
      vectorIndexIsGraph: index.vectors instanceof HnswVectorIndex ? 1 : 0,
    },
    keyword,
    hybrid,
    peakRssMb: peakRssMb(),
  };
});
