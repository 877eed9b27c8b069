/** Turns a benchmark report into the side-by-side tables printed and kept in the docs. */
import type { BenchReport } from './harness.js';
import type { EngineResult, LatencyStats } from './result.js';

export interface TargetCheck {
  target: string;
  engine: string;
  measured: string;
  pass: boolean;
}

/** The goals Quarry is measured against; they are stated for 100k chunks inside the server. */
const HYBRID_P50_MS = 10;
const HYBRID_P99_MS = 50;
const INGEST_CHUNKS_PER_SECOND = 500;
const PEAK_RSS_MB = 500;

const QUARRY = ['quarry-library', 'quarry-server', 'quarry-postgres'];

function find(report: BenchReport, engine: string): EngineResult | undefined {
  return report.results.find((r) => r.engine === engine);
}

const ms = (value: number) => (value >= 100 ? value.toFixed(0) : value.toFixed(2));
const whole = (value: number) => Math.round(value).toLocaleString('en-US');
const ratio = (value: number) => (Number.isFinite(value) ? `${value.toFixed(2)}×` : 'n/a');

function table(rows: string[][]): string {
  const widths = rows[0]!.map((_, c) => Math.max(...rows.map((row) => (row[c] ?? '').length)));
  return rows
    .map((row) =>
      row
        .map((cell, c) => (c === 0 ? cell.padEnd(widths[c]!) : cell.padStart(widths[c]!)))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function latencyCell(stats: LatencyStats | undefined, pick: (s: LatencyStats) => number) {
  return stats ? ms(pick(stats)) : 'n/a';
}

/** One column per engine: throughput, latencies, memory. */
export function resultsTable(report: BenchReport): string {
  const r = report.results;
  return table([
    ['', ...r.map((e) => e.label)],
    ['indexed', ...r.map((e) => `${whole(e.units)} ${e.unitName}`)],
    ['ingest (units/s)', ...r.map((e) => whole(e.ingestPerSecond))],
    ['keyword p50 (ms)', ...r.map((e) => latencyCell(e.keyword, (s) => s.p50Ms))],
    ['keyword p99 (ms)', ...r.map((e) => latencyCell(e.keyword, (s) => s.p99Ms))],
    ['hybrid p50 (ms)', ...r.map((e) => latencyCell(e.hybrid, (s) => s.p50Ms))],
    ['hybrid p99 (ms)', ...r.map((e) => latencyCell(e.hybrid, (s) => s.p99Ms))],
    ['hits/query (kw)', ...r.map((e) => e.keyword.meanHits.toFixed(1))],
    ['peak RSS (MB)', ...r.map((e) => whole(e.peakRssMb))],
    ['CPU time (s)', ...r.map((e) => (e.cpuSeconds === undefined ? '' : e.cpuSeconds.toFixed(1)))],
  ]);
}

/**
 * Each peer's figure divided by Quarry's: above 1× for latency and memory means Quarry is
 * faster or smaller; below 1× for ingest means Quarry indexes faster.
 */
export function ratioTable(report: BenchReport): string {
  const rows: string[][] = [['peer ÷ Quarry', 'ingest/s', 'kw p50', 'kw p99', 'peak RSS']];
  for (const base of QUARRY.map((name) => find(report, name))) {
    if (!base) continue;
    for (const peer of report.results.filter((e) => !QUARRY.includes(e.engine))) {
      rows.push([
        `${peer.label} vs ${base.label}`,
        ratio(peer.ingestPerSecond / base.ingestPerSecond),
        ratio(peer.keyword.p50Ms / base.keyword.p50Ms),
        ratio(peer.keyword.p99Ms / base.keyword.p99Ms),
        ratio(peer.peakRssMb / base.peakRssMb),
      ]);
    }
  }
  return rows.length > 1 ? table(rows) : '';
}

/** Sentences such as "lunr keyword p50 = 3.2× Quarry (server)". */
export function ratioSentences(report: BenchReport): string[] {
  const base = find(report, 'quarry-server') ?? find(report, 'quarry-library');
  if (!base) return [];
  return report.results
    .filter((e) => !QUARRY.includes(e.engine))
    .map(
      (e) =>
        `${e.label}: keyword p50 = ${ratio(e.keyword.p50Ms / base.keyword.p50Ms)} ` +
        `${base.label}, p99 = ${ratio(e.keyword.p99Ms / base.keyword.p99Ms)}, ` +
        `ingest = ${ratio(e.ingestPerSecond / base.ingestPerSecond)}, ` +
        `peak RSS = ${ratio(e.peakRssMb / base.peakRssMb)}`,
    );
}

/** `lsaFitMs` → "lsaFit 1,234 ms", `rssAfterStartMb` → "rssAfterStart 300 MB". */
function formatPhase(name: string, value: number): string {
  if (name.endsWith('Ms')) return `${name.slice(0, -2)} ${whole(value)} ms`;
  if (name.endsWith('Mb')) return `${name.slice(0, -2)} ${whole(value)} MB`;
  return `${name} ${whole(value)}`;
}

/** Where Quarry's time and memory went. */
export function phaseTable(report: BenchReport): string {
  const lines: string[] = [];
  for (const engine of QUARRY) {
    const result = find(report, engine);
    if (!result) continue;
    const parts = Object.entries(result.phases).map(([name, value]) => formatPhase(name, value));
    lines.push(`${result.label}: ingest ${whole(result.ingestMs)} ms; ${parts.join(', ')}`);
  }
  return lines.join('\n');
}

export function checkTargets(report: BenchReport): TargetCheck[] {
  const checks: TargetCheck[] = [];
  const lunr = find(report, 'lunr');
  for (const engine of QUARRY) {
    const q = find(report, engine);
    if (!q) continue;
    const add = (target: string, measured: string, pass: boolean) =>
      checks.push({ target, engine: q.label, measured, pass });
    if (q.hybrid) {
      add(
        `hybrid p50 ≤ ${HYBRID_P50_MS} ms`,
        `${ms(q.hybrid.p50Ms)} ms`,
        q.hybrid.p50Ms <= HYBRID_P50_MS,
      );
      add(
        `hybrid p99 ≤ ${HYBRID_P99_MS} ms`,
        `${ms(q.hybrid.p99Ms)} ms`,
        q.hybrid.p99Ms <= HYBRID_P99_MS,
      );
    }
    if (lunr) {
      add(
        'keyword p50 and p99 below lunr',
        `${ms(q.keyword.p50Ms)}/${ms(q.keyword.p99Ms)} vs ` +
          `${ms(lunr.keyword.p50Ms)}/${ms(lunr.keyword.p99Ms)} ms`,
        q.keyword.p50Ms < lunr.keyword.p50Ms && q.keyword.p99Ms < lunr.keyword.p99Ms,
      );
    }
    const throughput =
      engine === 'quarry-library' ? q.phases.allInChunksPerSecond : q.ingestPerSecond;
    if (throughput !== undefined) {
      add(
        `ingest ≥ ${INGEST_CHUNKS_PER_SECOND} chunks/s (with LSA)`,
        `${whole(throughput)} chunks/s`,
        throughput >= INGEST_CHUNKS_PER_SECOND,
      );
    }
    add(`peak RSS ≤ ${PEAK_RSS_MB} MB`, `${whole(q.peakRssMb)} MB`, q.peakRssMb <= PEAK_RSS_MB);
  }
  return checks;
}

export function targetTable(report: BenchReport): string {
  const checks = checkTargets(report);
  if (checks.length === 0) return '';
  return table([
    ['target', 'engine', 'measured', ''],
    ...checks.map((c) => [c.target, c.engine, c.measured, c.pass ? 'PASS' : 'MISS']),
  ]);
}

export function formatReport(report: BenchReport): string {
  const m = report.machine;
  const header =
    `Corpus ${report.corpus}: ${whole(report.documents)} documents; ` +
    `${report.queries.measured} timed queries after ${report.queries.warmup} warm-up; ` +
    `${m.cpus} × ${m.cpuModel}, Node ${m.node}, ${m.platform}; ` +
    `load average ${report.load.before.toFixed(1)} before, ${report.load.after.toFixed(1)} after`;
  const sections = [
    header,
    resultsTable(report),
    ratioTable(report),
    ratioSentences(report).join('\n'),
    phaseTable(report),
    report.corpus === 'cranfield'
      ? 'Targets (stated for 100k chunks; shown here for reference):'
      : 'Targets:',
    targetTable(report),
  ];
  return sections.filter((s) => s !== '').join('\n\n');
}
