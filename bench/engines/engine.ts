/**
 * The child-process side of the benchmark: each engine file calls {@link runEngine} with
 * its own build and search steps; this reads the workload, times the queries the same way
 * for every engine and writes the result where the parent asked.
 */
import { writeFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { peakRssMb, summarise, type EngineResult, type LatencyStats } from '../result.js';
import {
  readDocuments,
  readWorkloadMeta,
  type BenchDocument,
  type WorkloadMeta,
} from '../workload.js';

export interface EngineContext {
  dir: string;
  meta: WorkloadMeta;
  /**
   * The corpus parsed into memory, for engines that index documents handed to them; Quarry's
   * read the files themselves, so that no copy of the corpus sits in their process.
   */
  readDocuments(): BenchDocument[];
  /** Dimension of the LSA embeddings Quarry fits (the server's default unless overridden). */
  dimension: number | undefined;
}

/** Runs one query and returns how many hits came back. */
export type SearchFn = (query: string) => Promise<number> | number;

/**
 * Warm-up queries first, untimed; then the timed ones one after another, each measured
 * from call to result. A full collection before timing keeps the build's garbage out.
 */
export async function timeQueries(meta: WorkloadMeta, search: SearchFn): Promise<LatencyStats> {
  for (const query of meta.warmup) await search(query.text);
  (globalThis as { gc?: () => void }).gc?.();

  const durations: number[] = [];
  const hits: number[] = [];
  for (const query of meta.measured) {
    const started = performance.now();
    const count = await search(query.text);
    durations.push(performance.now() - started);
    hits.push(count);
  }
  return summarise(durations, hits);
}

/** Milliseconds taken by `step`, with its result. */
export async function timed<T>(step: () => T | Promise<T>): Promise<[T, number]> {
  const started = performance.now();
  const value = await step();
  return [value, performance.now() - started];
}

export function perSecond(count: number, ms: number): number {
  return ms > 0 ? (count * 1000) / ms : Number.POSITIVE_INFINITY;
}

/** Parses `--workload DIR --out FILE [--dimension N]`, runs the engine, writes its result. */
export async function runEngine(run: (context: EngineContext) => Promise<EngineResult>) {
  const { values } = parseArgs({
    options: {
      workload: { type: 'string' },
      out: { type: 'string' },
      dimension: { type: 'string' },
    },
  });
  if (!values.workload || !values.out) {
    throw new Error('usage: <engine>.ts --workload DIR --out FILE [--dimension N]');
  }
  const dir = values.workload;
  const result = await run({
    dir,
    meta: readWorkloadMeta(dir),
    readDocuments: () => readDocuments(dir),
    dimension: values.dimension ? Number(values.dimension) : undefined,
  });
  const cpu = process.cpuUsage();
  writeFileSync(
    values.out,
    JSON.stringify({ ...result, cpuSeconds: (cpu.user + cpu.system) / 1e6 }),
  );
  // Native add-ons (usearch threads, PGlite) must not keep a finished child alive.
  process.exit(0);
}

/** The result of a keyword-only engine that indexes whole documents (the peers). */
export function documentEngineResult(
  engine: string,
  label: string,
  documents: number,
  ingestMs: number,
  keyword: LatencyStats,
): EngineResult {
  return {
    engine,
    label,
    documents,
    units: documents,
    unitName: 'documents',
    ingestMs,
    ingestPerSecond: perSecond(documents, ingestMs),
    phases: {},
    keyword,
    peakRssMb: peakRssMb(),
  };
}
