import type { AnswerEvent, Citation, Passage } from '../types.js';

/** The final event of an answer stream. */
export type AnswerDone = Extract<AnswerEvent, { type: 'done' }>;

/**
 * A citation marker in answer text: `[3]`, or a list such as `[1, 4]` which language models
 * like to write. Global, so use it with `matchAll` or `replace` only.
 */
export const CITATION_MARKER = /\[(\d+(?:\s*,\s*\d+)*)\]/g;

/** The citation numbers an answer uses, in order of first use, each once. */
export function parseCitations(answer: string): number[] {
  const seen = new Set<number>();
  for (const match of answer.matchAll(CITATION_MARKER)) {
    for (const n of match[1]!.split(',')) seen.add(Number(n.trim()));
  }
  return [...seen];
}

export interface CitationCheck {
  ok: boolean;
  /** One readable line per problem found; empty when `ok`. */
  problems: string[];
}

/**
 * Checks that an answer's citations can be trusted: every `[n]` in the text has a citation,
 * citation numbers are unique, and each citation points into one of the passages the
 * generator was given, with offsets that reproduce its quote from that passage's text. The
 * server runs this before storing an answer, so a generator (a model especially) cannot cite
 * what the caller was not allowed to see or misquote what it cites.
 */
export function validateCitations(
  answer: string,
  citations: Citation[],
  passages: Passage[],
): CitationCheck {
  const problems: string[] = [];
  const byNumber = new Map<number, Citation>();
  for (const citation of citations) {
    if (byNumber.has(citation.n)) problems.push(`citation [${citation.n}] is listed twice`);
    byNumber.set(citation.n, citation);
  }

  for (const n of parseCitations(answer)) {
    if (!byNumber.has(n)) problems.push(`[${n}] appears in the answer but has no citation`);
  }

  for (const citation of citations) {
    const passage = passages.find(
      (p) => p.chunkId === citation.chunkId && p.documentId === citation.documentId,
    );
    if (!passage) {
      problems.push(
        `citation [${citation.n}] refers to chunk ${citation.chunkId}, not a given passage`,
      );
      continue;
    }
    const inside =
      citation.start >= passage.start &&
      citation.end <= passage.end &&
      citation.start <= citation.end;
    const quoted = passage.text.slice(citation.start - passage.start, citation.end - passage.start);
    if (!inside) {
      problems.push(`citation [${citation.n}] offsets lie outside chunk ${passage.chunkId}`);
    } else if (quoted !== citation.quote) {
      problems.push(`citation [${citation.n}] quote differs from the text at its offsets`);
    }
  }

  return { ok: problems.length === 0, problems };
}

/** Drains an answer stream and returns its final event. */
export async function collectAnswer(events: AsyncIterable<AnswerEvent>): Promise<AnswerDone> {
  let done: AnswerDone | undefined;
  for await (const event of events) {
    if (event.type === 'done') done = event;
  }
  if (!done) throw new Error('The answer stream ended without a final "done" event');
  return done;
}
