import { beforeAll, describe, expect, it } from 'vitest';
import { ENGINES, runBenchmark, type BenchReport } from './harness.js';
import { checkTargets, formatReport } from './report.js';

const isPositiveNumber = (value: unknown) =>
  typeof value === 'number' && Number.isFinite(value) && value > 0;

describe('the benchmark harness on a small synthetic corpus', () => {
  let report: BenchReport;

  beforeAll(async () => {
    // A low LSA dimension keeps fitting quick; the figures themselves are not checked.
    report = await runBenchmark({
      corpus: 'synthetic',
      chunks: 2_000,
      queries: 20,
      rounds: 1,
      warmup: 5,
      seed: 7,
      dimension: 32,
      engines: ENGINES,
    });
  });

  it('reports every engine, in the order asked', () => {
    expect(report.results.map((r) => r.engine)).toEqual([...ENGINES]);
    expect(report.documents).toBe(2_000);
    expect(report.queries).toEqual({ warmup: 5, measured: 20 });
  });

  it.each(ENGINES)('gives %s finite positive ingest, keyword and memory figures', (engine) => {
    const result = report.results.find((r) => r.engine === engine)!;
    expect(result.units).toBeGreaterThanOrEqual(2_000);
    for (const value of [
      result.ingestMs,
      result.ingestPerSecond,
      result.keyword.p50Ms,
      result.keyword.p99Ms,
      result.peakRssMb,
    ]) {
      expect(isPositiveNumber(value), `${engine}: ${value}`).toBe(true);
    }
    expect(result.keyword.samples).toBe(20);
    expect(result.keyword.meanHits).toBeGreaterThan(0);
  });

  it('gives hybrid latencies for Quarry only', () => {
    for (const result of report.results) {
      if (result.engine.startsWith('quarry')) {
        expect(isPositiveNumber(result.hybrid?.p50Ms)).toBe(true);
        expect(isPositiveNumber(result.hybrid?.p99Ms)).toBe(true);
      } else {
        expect(result.hybrid).toBeUndefined();
      }
    }
  });

  it('prints one table with every engine, n/a for hybrid peers, and a verdict per target', () => {
    const text = formatReport(report);
    for (const result of report.results) expect(text).toContain(result.label);
    expect(text).toContain('n/a');
    expect(checkTargets(report).length).toBeGreaterThan(0);
    expect(text).toMatch(/PASS|MISS/);
  });
});
