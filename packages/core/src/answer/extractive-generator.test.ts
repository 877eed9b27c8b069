import { describe, expect, it } from 'vitest';
import { testAnalyze } from '../highlight/test-support/test-analyzer.js';
import type { AnswerEvent, Passage } from '../types.js';
import { collectAnswer, parseCitations, validateCitations } from './citations.js';
import { EXTRACTIVE_LEAD, ExtractiveGenerator, NO_ANSWER } from './extractive-generator.js';

function passage(chunkId: number, text: string, extra: Partial<Passage> = {}): Passage {
  return {
    chunkId,
    documentId: `doc-${chunkId}`,
    documentTitle: `Document ${chunkId}`,
    text,
    start: 1000 * chunkId,
    end: 1000 * chunkId + text.length,
    score: 1,
    ...extra,
  };
}

const geology = [
  passage(
    1,
    'Granite is an igneous rock. It forms when magma cools slowly deep underground.\n\n' +
      'Quarries cut granite into blocks for buildings.',
    { page: 3, score: 12 },
  ),
  passage(2, 'Limestone is sedimentary. Marble forms when limestone meets heat and pressure.', {
    score: 8,
  }),
  passage(3, 'The annual report lists revenue by region and quarter.', { score: 2 }),
];

const generator = new ExtractiveGenerator({ analyze: testAnalyze });

async function events(question: string, passages: Passage[], gen = generator) {
  const all: AnswerEvent[] = [];
  for await (const event of gen.generate(question, passages)) all.push(event);
  return all;
}

/** Passages found for a question about slipstreams: every one of them names its topic. */
const slipstream = [
  passage(
    1,
    'The slipstream raises the lift of the wing behind the propeller. ' +
      'Tests were made at several angles of attack.',
    { score: 9 },
  ),
  passage(2, 'A slipstream model for the wing was compared with the tests.', { score: 8 }),
  passage(3, 'The gyroscopic effect of a rotating propeller is large. Slipstream data were kept.', {
    score: 7,
  }),
];

describe('ExtractiveGenerator', () => {
  it("weighs a question's terms by the project's own figures when it has them", async () => {
    const question = 'what is the effect of a slipstream on a wing?';
    // Over these three passages alone "effect" looks rarest; across the project it is common.
    const projectIdf: Record<string, number> = { effect: 0.4, slipstream: 3.5, wing: 1.1 };
    const answered = await collectAnswer(
      generator.generate(question, slipstream, { termWeight: (term) => projectIdf[term] ?? 0 }),
    );
    expect(answered.citations[0]?.quote).toMatch(/^The slipstream raises the lift of the wing/);
    expect(answered.citations.map((c) => c.quote).join(' ')).not.toMatch(/gyroscopic/);
  });

  it('reads the question with its own analysis when given one', async () => {
    const asking = new ExtractiveGenerator({
      analyze: testAnalyze,
      analyzeQuestion: (text) => testAnalyze(text).filter((term) => term !== 'slipstream'),
    });
    const done = await collectAnswer(asking.generate('slipstream gyroscopic', slipstream));
    expect(done.citations.map((c) => c.quote)).toEqual([
      'The gyroscopic effect of a rotating propeller is large.',
    ]);
  });

  it('quotes relevant sentences, each cited with offsets that reproduce the quote', async () => {
    const done = await collectAnswer(
      generator.generate('How does granite form from magma?', geology),
    );

    expect(done.grounded).toBe(true);
    expect(done.generator).toBe('extractive-v1');
    expect(done.answer.startsWith(EXTRACTIVE_LEAD)).toBe(true);
    expect(done.answer).toContain('“It forms when magma cools slowly deep underground.” [');
    expect(done.citations.length).toBeGreaterThan(0);
    expect(parseCitations(done.answer)).toEqual(done.citations.map((c) => c.n));
    expect(validateCitations(done.answer, done.citations, geology)).toEqual({
      ok: true,
      problems: [],
    });

    for (const citation of done.citations) {
      const source = geology.find((p) => p.chunkId === citation.chunkId)!;
      const quote = source.text.slice(citation.start - source.start, citation.end - source.start);
      expect(quote).toBe(citation.quote);
      expect(citation.documentId).toBe(source.documentId);
      expect(citation.documentTitle).toBe(source.documentTitle);
    }
  });

  it('ends each quoted sentence with its citation marker, numbered by first use', async () => {
    const done = await collectAnswer(generator.generate('granite marble limestone', geology));
    const lines = done.answer.split('\n').slice(1);

    expect(lines.length).toBe(done.citations.length);
    lines.forEach((line, i) => expect(line.endsWith(`” [${i + 1}]`)).toBe(true));
    expect(done.citations.map((c) => c.n)).toEqual(lines.map((_, i) => i + 1));
  });

  it('carries the page of the cited passage, and no page when the passage has none', async () => {
    const done = await collectAnswer(generator.generate('granite quarries limestone', geology));
    const fromPaged = done.citations.find((c) => c.chunkId === 1)!;
    const fromUnpaged = done.citations.find((c) => c.chunkId === 2)!;

    expect(fromPaged.page).toBe(3);
    expect(fromUnpaged).not.toHaveProperty('page');
  });

  it('streams tokens and citation events before the final done event', async () => {
    const all = await events('How does granite form?', geology);
    const done = all.at(-1)!;

    expect(all[0]!.type).toBe('token');
    expect(done.type).toBe('done');
    expect(all.filter((e) => e.type === 'done')).toHaveLength(1);
    const streamed = all.flatMap((e) => (e.type === 'token' ? [e.text] : [])).join('');
    expect(done.type === 'done' && done.answer).toBe(streamed);

    // Each citation arrives just before the token that carries its marker.
    all.forEach((event, i) => {
      if (event.type !== 'citation') return;
      const next = all[i + 1]!;
      expect(next.type === 'token' && next.text).toBe(` [${event.citation.n}]`);
    });
  });

  it('says no passage was found when there are no passages', async () => {
    const all = await events('How does granite form?', []);
    const done = await collectAnswer(generator.generate('How does granite form?', []));

    expect(done).toEqual({
      type: 'done',
      answer: NO_ANSWER,
      citations: [],
      generator: 'extractive-v1',
      grounded: false,
    });
    expect(all.some((e) => e.type === 'citation')).toBe(false);
  });

  it('says no passage was found when no sentence shares a term with the question', async () => {
    const done = await collectAnswer(generator.generate('volcanic eruption forecasts', geology));

    expect(done.answer).toBe(NO_ANSWER);
    expect(done.grounded).toBe(false);
    expect(done.citations).toEqual([]);
  });

  it('says no passage was found for a question made only of stop words', async () => {
    const done = await collectAnswer(generator.generate('what is the', geology));

    expect(done.answer).toBe(NO_ANSWER);
  });

  it('quotes a sentence repeated by overlapping chunks only once', async () => {
    const sentence = 'Granite forms when magma cools slowly.';
    const first = passage(1, `Intro text here. ${sentence}`, { documentId: 'd', start: 0 });
    const second = passage(2, `${sentence} Later text follows.`, { documentId: 'd', start: 17 });
    second.end = second.start + second.text.length;

    const done = await collectAnswer(generator.generate('granite magma', [first, second]));

    expect(done.citations.filter((c) => c.quote === sentence)).toHaveLength(1);
    expect(validateCitations(done.answer, done.citations, [first, second]).ok).toBe(true);
  });

  it('prefers the sentence holding the rarer question term', async () => {
    const passages = [
      passage(1, 'Granite appears in every report.'),
      passage(2, 'Granite again, with nothing more.'),
      passage(3, 'Granite forms where magma cools.'),
    ];
    const one = new ExtractiveGenerator({ analyze: testAnalyze, maxSentences: 1 });

    const done = await collectAnswer(one.generate('granite magma', passages));

    expect(done.citations.map((c) => c.chunkId)).toEqual([3]);
  });

  it('breaks ties between equally relevant sentences by retrieval score', async () => {
    const passages = [
      passage(1, 'Basalt cools fast near the surface.', { score: 0.2 }),
      passage(2, 'Basalt cools fast under the sea.', { score: 0.9 }),
    ];
    const one = new ExtractiveGenerator({ analyze: testAnalyze, maxSentences: 1 });

    const done = await collectAnswer(one.generate('basalt cools', passages));

    expect(done.citations.map((c) => c.chunkId)).toEqual([2]);
  });

  it('keeps within the sentence and character budgets', async () => {
    const text = Array.from({ length: 30 }, (_, i) => `Granite sample ${i} was cut.`).join(' ');
    const small = new ExtractiveGenerator({ analyze: testAnalyze, maxSentences: 2, maxChars: 60 });

    const done = await collectAnswer(small.generate('granite sample cut', [passage(1, text)]));
    const quoted = done.citations.reduce((sum, c) => sum + c.quote.length, 0);

    expect(done.citations.length).toBeLessThanOrEqual(2);
    expect(quoted).toBeLessThanOrEqual(60);
  });

  it('quotes a sentence wrapped across lines whole', async () => {
    const text = 'The quarry face\nshowed deep cracks\nafter the frost. Nothing else.';
    const done = await collectAnswer(generator.generate('quarry cracks', [passage(1, text)]));

    expect(done.citations[0]!.quote).toBe('The quarry face\nshowed deep cracks\nafter the frost.');
    expect(done.answer).toContain('“The quarry face showed deep cracks after the frost.” [1]');
  });

  it('keeps bracketed numbers in a source from passing for citations', async () => {
    const source = passage(1, 'Granite forms from magma [12], as shown in [3, 4].');
    const done = await collectAnswer(generator.generate('granite magma', [source]));

    expect(done.answer).toContain('magma (12), as shown in (3, 4).');
    expect(parseCitations(done.answer)).toEqual([1]);
    expect(validateCitations(done.answer, done.citations, [source]).ok).toBe(true);
  });

  it('clips an overlong sentence at a word boundary and marks the cut', async () => {
    const text = `Granite ${'layer '.repeat(200)}ends here.`;
    const done = await collectAnswer(generator.generate('granite', [passage(1, text)]));
    const [citation] = done.citations;

    expect(citation!.quote.length).toBeLessThanOrEqual(700);
    expect(citation!.quote.endsWith('layer')).toBe(true);
    expect(done.answer).toContain('layer …” [1]');
  });
});
