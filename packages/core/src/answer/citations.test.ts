import { describe, expect, it } from 'vitest';
import type { AnswerEvent, Citation, Passage } from '../types.js';
import { collectAnswer, parseCitations, validateCitations, type AnswerDone } from './citations.js';

const passage: Passage = {
  chunkId: 7,
  documentId: 'doc-a',
  documentTitle: 'Quarry survey',
  text: 'The north face is stable. The south face shows cracks.',
  start: 500,
  end: 554,
  score: 1,
};

const citation = (overrides: Partial<Citation> = {}): Citation => ({
  n: 1,
  chunkId: 7,
  documentId: 'doc-a',
  documentTitle: 'Quarry survey',
  start: 526,
  end: 554,
  quote: 'The south face shows cracks.',
  ...overrides,
});

async function* stream(...events: AnswerEvent[]): AsyncIterable<AnswerEvent> {
  yield* events;
}

describe('parseCitations', () => {
  it('lists the numbers used, in order of first use, each once', () => {
    expect(parseCitations('A [2]. B [1][2]. C [3, 4].')).toEqual([2, 1, 3, 4]);
  });

  it('finds nothing in text without markers', () => {
    expect(parseCitations('No markers [here] or [ 1a ].')).toEqual([]);
  });
});

describe('validateCitations', () => {
  it('accepts citations whose offsets reproduce their quotes from a given passage', () => {
    expect(validateCitations('Cracks [1].', [citation()], [passage])).toEqual({
      ok: true,
      problems: [],
    });
  });

  const cases: [string, string, Citation[], RegExp][] = [
    ['a marker without a citation', 'Cracks [1] [2].', [citation()], /\[2\] appears/],
    ['a citation of a passage not given', 'x [1]', [citation({ chunkId: 8 })], /not a given/],
    ['a citation of another document', 'x [1]', [citation({ documentId: 'b' })], /not a given/],
    ['offsets outside the passage', 'x [1]', [citation({ end: 600 })], /outside/],
    ['a misquote', 'x [1]', [citation({ quote: 'The south face is fine.' })], /quote differs/],
    ['a number used twice', 'x [1]', [citation(), citation()], /listed twice/],
  ];
  for (const [name, answer, citations, problem] of cases) {
    it(`rejects ${name}`, () => {
      const check = validateCitations(answer, citations, [passage]);

      expect(check.ok).toBe(false);
      expect(check.problems.join('\n')).toMatch(problem);
    });
  }
});

describe('collectAnswer', () => {
  it('returns the final event of a stream', async () => {
    const done: AnswerDone = {
      type: 'done',
      answer: 'a',
      citations: [],
      generator: 'g',
      grounded: false,
    };

    expect(await collectAnswer(stream({ type: 'token', text: 'a' }, done))).toEqual(done);
  });

  it('fails when the stream ends without a final event', async () => {
    await expect(collectAnswer(stream({ type: 'token', text: 'a' }))).rejects.toThrow(/done/);
  });
});
