import type { Run, RunHit } from './metrics.js';

/**
 * Writes a run in the TREC format `qid Q0 docid rank score tag`, one line per hit, hits of
 * each query ranked best first (ranks from 1), ready for `trec_eval`.
 */
export function formatTrecRun(run: Run, tag: string): string {
  if (/\s/.test(tag) || tag === '') throw new Error('a run tag must be one word');
  const lines: string[] = [];
  for (const [queryId, hits] of run) {
    const ranked = [...hits].sort((a, b) => b.score - a.score);
    ranked.forEach((hit, i) => {
      lines.push(`${queryId} Q0 ${hit.docId} ${i + 1} ${formatScore(hit.score)} ${tag}`);
    });
  }
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}

/** Parses a TREC run file; the rank column is read but ignored, as `trec_eval` does. */
export function parseTrecRun(text: string): Run {
  const run: Run = new Map();
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (line === '') continue;
    const fields = line.split(/\s+/);
    const [queryId, , docId, , score] = fields;
    const value = Number(score);
    if (
      fields.length < 6 ||
      queryId === undefined ||
      docId === undefined ||
      !Number.isFinite(value)
    ) {
      throw new Error(`run line ${i + 1} is not "qid Q0 docid rank score tag": ${line}`);
    }
    let hits = run.get(queryId);
    if (!hits) run.set(queryId, (hits = [] as RunHit[]));
    hits.push({ docId, score: value });
  }
  return run;
}

/** Enough digits to keep distinct float scores distinct, without noise for round values. */
function formatScore(score: number): string {
  return Number.isInteger(score) ? score.toFixed(1) : String(Number(score.toPrecision(9)));
}
