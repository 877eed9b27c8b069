/** What an engine's child process reports, and how latencies are summarised. */

export interface LatencyStats {
  p50Ms: number;
  p99Ms: number;
  meanMs: number;
  samples: number;
  /** Average hits returned per query: a sanity check that queries really matched. */
  meanHits: number;
}

export interface EngineResult {
  engine: string;
  label: string;
  /** Documents in the corpus, and what the engine indexed them as. */
  documents: number;
  units: number;
  unitName: 'chunks' | 'documents';
  /** Indexing time the throughput is computed from (see each engine for what it covers). */
  ingestMs: number;
  ingestPerSecond: number;
  /** Further named timings in milliseconds (fit, embed, upload, first query, …). */
  phases: Record<string, number>;
  keyword: LatencyStats;
  /** Absent for engines without a semantic side. */
  hybrid?: LatencyStats;
  peakRssMb: number;
  /** User + system CPU time of the whole child process: less sensitive to a busy machine. */
  cpuSeconds?: number;
}

/** Nearest-rank percentile of an ascending array. */
export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export function summarise(durations: number[], hits: number[]): LatencyStats {
  const sorted = [...durations].sort((a, b) => a - b);
  const total = durations.reduce((sum, d) => sum + d, 0);
  return {
    p50Ms: percentile(sorted, 50),
    p99Ms: percentile(sorted, 99),
    meanMs: total / Math.max(1, durations.length),
    samples: durations.length,
    meanHits: hits.reduce((sum, h) => sum + h, 0) / Math.max(1, hits.length),
  };
}

/** Peak resident set size of this process so far, in MiB (`maxRSS` is in KiB). */
export function peakRssMb(): number {
  return process.resourceUsage().maxRSS / 1024;
}
