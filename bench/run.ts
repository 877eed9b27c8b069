/**
 * Quarry against lunr, MiniSearch and Orama on one corpus, each engine in its own process.
 *
 *   npm run bench:cranfield                  # Cranfield, 1,400 documents, 225 queries
 *   npm run bench:synthetic                  # 100,000 synthetic chunks, Cranfield queries
 *   npm run bench:synthetic -- --chunks 20000 --json
 *
 * Options: --corpus cranfield|synthetic, --chunks N, --queries N (first N queries),
 * --rounds N (passes over the queries; 3 on Cranfield, 1 on synthetic), --warmup N, --seed N,
 * --dimension N (LSA),
 * --engines a,b,… (of quarry-library, quarry-server, quarry-postgres, lunr, minisearch,
 * orama), --json.
 */
import { parseArgs } from 'node:util';
import {
  DEFAULT_OPTIONS,
  defaultRounds,
  ENGINES,
  runBenchmark,
  type EngineName,
} from './harness.js';
import { checkTargets, formatReport } from './report.js';

const { values } = parseArgs({
  options: {
    corpus: { type: 'string', default: 'cranfield' },
    chunks: { type: 'string', default: String(DEFAULT_OPTIONS.chunks) },
    queries: { type: 'string' },
    rounds: { type: 'string' },
    warmup: { type: 'string', default: String(DEFAULT_OPTIONS.warmup) },
    seed: { type: 'string', default: String(DEFAULT_OPTIONS.seed) },
    dimension: { type: 'string' },
    engines: { type: 'string', default: ENGINES.join(',') },
    json: { type: 'boolean', default: false },
  },
});

function positive(name: string, raw: string | undefined): number | undefined {
  if (raw === undefined) return undefined;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0) {
    throw new Error(`--${name} must be a whole number, got "${raw}"`);
  }
  return value;
}

const corpus = values.corpus;
if (corpus !== 'cranfield' && corpus !== 'synthetic') {
  throw new Error(`--corpus must be cranfield or synthetic, got "${corpus}"`);
}
const engines = values.engines.split(',').map((name) => name.trim());
const unknown = engines.filter((name) => !(ENGINES as readonly string[]).includes(name));
if (unknown.length > 0) throw new Error(`unknown engine(s): ${unknown.join(', ')}`);

const report = await runBenchmark({
  corpus,
  chunks: positive('chunks', values.chunks)!,
  queries: positive('queries', values.queries),
  rounds: positive('rounds', values.rounds) ?? defaultRounds(corpus),
  warmup: positive('warmup', values.warmup)!,
  seed: positive('seed', values.seed)!,
  dimension: positive('dimension', values.dimension),
  engines: engines as EngineName[],
  progress: (line) => process.stderr.write(`${line}\n`),
});

if (values.json) {
  process.stdout.write(JSON.stringify({ ...report, targets: checkTargets(report) }, null, 2));
  process.stdout.write('\n');
} else {
  process.stdout.write(`${formatReport(report)}\n`);
}
