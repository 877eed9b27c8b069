/**
 * The parent side of the benchmark: builds the workload once, then runs each engine in its
 * own child process, one after another, so that timings do not compete for the cores and
 * each peak RSS belongs to one engine alone.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sharedDataDir } from '@quarry/core/test-support';
import { parseSettings } from '@quarry/server';
import { serverEnvironment } from '../scripts/server-env.mjs';
import { compileScripts } from './compile.js';
import type { EngineResult } from './result.js';
import {
  loadCranfield,
  planQueries,
  syntheticDocuments,
  writeWorkload,
  type BenchDocument,
} from './workload.js';

export const ENGINES = [
  'quarry-library',
  'quarry-server',
  'quarry-postgres',
  'lunr',
  'minisearch',
  'orama',
] as const;
export type EngineName = (typeof ENGINES)[number];

export interface BenchOptions {
  corpus: 'cranfield' | 'synthetic';
  /** Synthetic corpus size in chunks (one chunk per document). */
  chunks: number;
  /** Use only the first N queries (all 225 by default). */
  queries?: number;
  /** Passes over the query list; more passes give steadier tail percentiles. */
  rounds: number;
  warmup: number;
  seed: number;
  engines: readonly EngineName[];
  /** LSA dimension; the server's default when absent. */
  dimension?: number;
  /** Called with a line of progress per step (to stderr in the CLI). */
  progress?: (line: string) => void;
}

export interface BenchReport {
  corpus: string;
  documents: number;
  queries: { warmup: number; measured: number };
  machine: { cpus: number; cpuModel: string; node: string; platform: string };
  /** One-minute load average before and after the run: other work on the machine skews timings. */
  load: { before: number; after: number };
  results: EngineResult[];
}

export const DEFAULT_OPTIONS: Omit<BenchOptions, 'corpus' | 'rounds'> = {
  chunks: 100_000,
  warmup: 20,
  seed: 42,
  engines: ENGINES,
};

/**
 * Passes over the 225 queries: three on Cranfield, where a pass takes seconds, so that p99
 * rests on 675 samples; one on the synthetic corpus, where lunr needs seconds per query.
 */
export function defaultRounds(corpus: BenchOptions['corpus']): number {
  return corpus === 'cranfield' ? 3 : 1;
}

const here = path.dirname(fileURLToPath(import.meta.url));
const repoRoot = path.resolve(here, '..');

/** Generous bound on one engine's run; a hung child must not hang the benchmark. */
const CHILD_TIMEOUT_MS = 60 * 60_000;

/**
 * Each engine runs as plain Node on compiled JavaScript (see compile.ts), and Quarry's
 * engines use its packages as built (`dist/`), as `npm start` and an installed library do.
 */
function runChild(script: string, engine: EngineName, args: string[], log: (line: string) => void) {
  const nodeArgs = ['--expose-gc', script];
  return new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, [...nodeArgs, ...args], {
      cwd: repoRoot,
      stdio: ['ignore', 'pipe', 'pipe'],
      // Every engine gets the allocator settings `npm start` gives Quarry's server.
      env: { ...serverEnvironment(), NODE_OPTIONS: '' },
    });
    let stderr = '';
    child.stdout.on('data', (data: Buffer) => log(data.toString('utf8').trimEnd()));
    child.stderr.on('data', (data: Buffer) => (stderr += data.toString('utf8')));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      clearTimeout(timer);
      if (code === 0) resolve();
      else reject(new Error(`${engine} exited with ${signal ?? code}:\n${stderr.slice(-4000)}`));
    });
  });
}

function buildDocuments(options: BenchOptions, source: BenchDocument[]): BenchDocument[] {
  if (options.corpus === 'cranfield') return source;
  return syntheticDocuments(source, options.chunks, options.seed);
}

/** Runs every requested engine on the same corpus and queries and collects their figures. */
export async function runBenchmark(options: BenchOptions): Promise<BenchReport> {
  const log = options.progress ?? (() => {});
  const cranfield = loadCranfield(path.join(sharedDataDir(), 'cranfield'));
  const documents = buildDocuments(options, cranfield.documents);
  const plan = planQueries(cranfield.queries, {
    limit: options.queries,
    warmup: options.warmup,
    rounds: options.rounds,
    seed: options.seed,
  });
  const corpus =
    options.corpus === 'cranfield' ? 'cranfield' : `synthetic-${documents.length}-chunks`;
  const dimension =
    options.dimension ??
    parseSettings({ store: { kind: 'embedded', dataDir: tmpdir() } }).embedding.dimension;

  const loadBefore = loadavg()[0]!;
  const workDir = mkdtempSync(path.join(tmpdir(), 'quarry-bench-workload-'));
  try {
    writeWorkload(workDir, documents, { corpus, documents: documents.length, ...plan });
    const scripts = compileScripts(
      repoRoot,
      options.engines.map((engine) => path.join(here, 'engines', `${engine}.ts`)),
    );
    const results: EngineResult[] = [];
    for (const [i, engine] of options.engines.entries()) {
      log(`${corpus}: running ${engine}…`);
      const out = path.join(workDir, `${engine}.result.json`);
      const args = ['--workload', workDir, '--out', out, '--dimension', String(dimension)];
      await runChild(scripts[i]!, engine, args, log);
      results.push(JSON.parse(readFileSync(out, 'utf8')) as EngineResult);
    }
    return {
      corpus,
      documents: documents.length,
      queries: { warmup: plan.warmup.length, measured: plan.measured.length },
      machine: {
        cpus: cpus().length,
        cpuModel: cpus()[0]?.model ?? 'unknown',
        node: process.version,
        platform: `${process.platform}-${process.arch}`,
      },
      load: { before: loadBefore, after: loadavg()[0]! },
      results,
    };
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }
}
