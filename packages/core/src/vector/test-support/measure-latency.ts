/**
 * Measures vector search latency; the figures justify `EXACT_SCAN_BUDGET` and the HNSW
 * defaults. Not a test: it takes minutes and its numbers depend on the machine, so it reports
 * CPU time per query next to wall time (CPU time moves less when the machine is busy).
 *
 *   npx tsx packages/core/src/vector/test-support/measure-latency.ts \
 *     [hnswCount=100000] [dimension=256] [random|clustered] [skip-exact]
 */
import type { VectorIndex } from '../../types.js';
import { ExactVectorIndex } from '../exact-index.js';
import { HnswVectorIndex } from '../hnsw-index.js';
import { clusteredVectors, randomVectors } from './random-vectors.js';

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

function timeSearches(
  index: VectorIndex,
  queries: Float32Array[],
  filter?: (id: number) => boolean,
): string {
  // A few untimed searches let the JIT compile the scan before it is measured.
  for (const query of queries.slice(0, 5)) index.search(query, 10, filter);
  const wall: number[] = [];
  const cpu: number[] = [];
  for (const query of queries) {
    const cpuBefore = process.cpuUsage();
    const started = performance.now();
    index.search(query, 10, filter);
    wall.push(performance.now() - started);
    const used = process.cpuUsage(cpuBefore);
    cpu.push((used.user + used.system) / 1000);
  }
  const summary = (times: number[]) => {
    times.sort((a, b) => a - b);
    return `p50 ${percentile(times, 50).toFixed(2)} ms, p99 ${percentile(times, 99).toFixed(2)} ms`;
  };
  return `wall ${summary(wall)}; cpu ${summary(cpu)}`;
}

function measureExact(count: number, dimension: number): void {
  const index = new ExactVectorIndex(dimension);
  randomVectors(count, dimension, 1).forEach((vector, id) => index.add(id, vector));
  const queries = randomVectors(100, dimension, 2);
  console.log(`exact ${count} x ${dimension}: ${timeSearches(index, queries)}`);
}

function measureHnsw(count: number, dimension: number, clustered: boolean): void {
  const generate = clustered ? clusteredVectors : randomVectors;
  const vectors = generate(count, dimension, 3);
  const index = new HnswVectorIndex({ dimension });
  const started = performance.now();
  index.addMany(
    vectors.map((_, id) => id),
    vectors,
  );
  const buildSeconds = (performance.now() - started) / 1000;
  console.log(`hnsw ${count} x ${dimension}: built in ${buildSeconds.toFixed(1)} s`);

  const queries = generate(1000, dimension, 4);
  console.log(`hnsw ${count} x ${dimension} unfiltered: ${timeSearches(index, queries)}`);
  const half = (id: number) => id % 2 === 0;
  console.log(`hnsw filter passing 50%: ${timeSearches(index, queries.slice(0, 200), half)}`);
  const rare = (id: number) => id % 100 === 0;
  console.log(`hnsw filter passing 1%: ${timeSearches(index, queries.slice(0, 100), rare)}`);

  const exact = new ExactVectorIndex(dimension);
  vectors.forEach((vector, id) => exact.add(id, vector));
  console.log(`exact ${count} x ${dimension}: ${timeSearches(exact, queries.slice(0, 100))}`);
  let found = 0;
  for (const query of queries.slice(0, 100)) {
    const truth = new Set(exact.search(query, 10).map((hit) => hit.id));
    found += index.search(query, 10).filter((hit) => truth.has(hit.id)).length;
  }
  console.log(`hnsw recall@10 vs exact: ${(found / 1000).toFixed(3)}`);

  // A search for `n` hits explores at least `n` candidates, so asking for more than 10 and
  // keeping the first 10 shows what a wider `expansionSearch` would buy.
  for (const width of [512, 1024]) {
    const wide: VectorIndex = {
      dimension,
      size: index.size,
      add: () => undefined,
      remove: () => undefined,
      search: (query) => index.search(query, width).slice(0, 10),
    };
    let wideFound = 0;
    for (const query of queries.slice(0, 100)) {
      const truth = new Set(exact.search(query, 10).map((hit) => hit.id));
      wideFound += wide.search(query, 10).filter((hit) => truth.has(hit.id)).length;
    }
    const latency = timeSearches(wide, queries.slice(0, 200));
    console.log(`hnsw list ${width}: recall@10 ${(wideFound / 1000).toFixed(3)}, ${latency}`);
  }
}

const [count = '100000', dimension = '256', data = 'random', skip = ''] = process.argv.slice(2);
if (skip !== 'skip-exact') {
  for (const width of [128, 256, 384, 768]) measureExact(20_000, width);
  measureExact(50_000, 384);
}
console.log(`hnsw data: ${data}`);
measureHnsw(Number(count), Number(dimension), data === 'clustered');
