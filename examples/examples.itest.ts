import { existsSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { beforeAll, describe, expect, it } from 'vitest';

import { beirDocumentText, loadBeir } from '@quarry/core';

import { CRANFIELD_DIR, main as evaluateCranfield } from './evaluate-cranfield.js';
import type { EvaluationReport } from './evaluate-cranfield.js';
import { main as evaluateLunr } from './evaluate-lunr.js';
import { main as measureLatency } from './measure-latency.js';
import { main as searchFolder } from './search-folder.js';

/**
 * The reference figure of a Lucene-style BM25 (k1 0.9, b 0.4, Porter stems, English stop
 * words) on Cranfield, from the collection's README; Quarry's keyword mode must stay within
 * 2% of it (docs/retrieval-quality.md).
 */
const REFERENCE_BM25_NDCG10 = 0.361;

describe.skipIf(!existsSync(CRANFIELD_DIR))('examples on Cranfield', () => {
  let report: EvaluationReport;

  beforeAll(async () => {
    report = await evaluateCranfield([]);
  });

  const row = (label: string) => report.rows.find((r) => r.label === label)!;

  it('evaluates every judged query', () => {
    expect(report.rows.map((r) => r.label)).toEqual([
      'keyword',
      'keyword + RM3',
      'semantic',
      'hybrid',
    ]);
    expect(report.rows.map((r) => r.queries)).toEqual([225, 225, 225, 225]);
  });

  it('scores keyword mode like the reference BM25', () => {
    const keyword = row('keyword').metrics;
    expect(keyword.ndcg10).toBeGreaterThanOrEqual(REFERENCE_BM25_NDCG10 * 0.98);
    expect(keyword.ndcg10).toBeLessThanOrEqual(REFERENCE_BM25_NDCG10 * 1.02);
    expect(keyword.map).toBeCloseTo(0.301, 2);
  });

  it('gains from RM3 feedback in keyword mode', () => {
    expect(row('keyword + RM3').metrics.ndcg10).toBeGreaterThan(row('keyword').metrics.ndcg10);
  });

  it('reaches nDCG@10 0.397 in the default hybrid mode', () => {
    expect(row('hybrid').metrics.ndcg10).toBeGreaterThanOrEqual(0.397);
    expect(row('hybrid').metrics.recall100).toBeGreaterThan(row('keyword').metrics.recall100);
  });

  it('finds relevant documents by meaning alone with the LSA embedder', () => {
    expect(row('semantic').metrics.ndcg10).toBeGreaterThan(0.35);
    expect(report.lsaModelId).toMatch(/^lsa-v1-128d-/);
  });

  it('searches a folder of text files and returns nothing for nonsense', async () => {
    const { corpus } = await loadBeir(CRANFIELD_DIR);
    const dir = await mkdtemp(join(tmpdir(), 'quarry-folder-'));
    for (const document of corpus.slice(0, 200)) {
      await writeFile(join(dir, `${document.id}.txt`), beirDocumentText(document));
    }

    const found = await searchFolder([
      '--dir',
      dir,
      '--query',
      'aerodynamics of a wing in a propeller slipstream',
    ]);
    expect(found.chunks).toBeGreaterThanOrEqual(200);
    expect(found.semantic).toBe(true);
    expect(found.hits[0]!.file).toBe(join(dir, '1.txt'));

    const nonsense = await searchFolder(['--dir', dir, '--query', 'zxqv blorp']);
    expect(nonsense.hits).toEqual([]);
  });

  it('scores lunr as the shared data README reports it, cross-checking the evaluator', async () => {
    const lunr = await evaluateLunr([]);
    expect(lunr.ndcg10).toBeCloseTo(0.363, 2);
    expect(lunr.map).toBeCloseTo(0.301, 2);
  });

  it('scores an external TREC run file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'quarry-run-'));
    const runFile = join(dir, 'quarry.run');
    await evaluateCranfield(['--mode', 'keyword', '--limit', '100', '--run-file', runFile]);
    const scored = await evaluateCranfield(['--score-run', `${runFile}.keyword`]);
    const keyword = report.rows.find((r) => r.label === 'keyword')!.metrics;
    expect(scored.rows[0]!.metrics.ndcg10).toBeCloseTo(keyword.ndcg10, 6);
  });

  it('measures latency on a synthetic project', async () => {
    const latency = await measureLatency([
      '--chunks',
      '2000',
      '--queries',
      '20',
      '--dimension',
      '32',
    ]);
    expect(latency.chunks).toBe(2000);
    expect(latency.keywordQueryMs).toBeGreaterThan(0);
    expect(latency.lsaDimension).toBe(32);
  });
});
