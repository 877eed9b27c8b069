import { bm25Idf } from '../keyword/bm25-idf.js';
import type { AnswerContext, AnswerEvent, AnswerGenerator, Citation, Passage } from '../types.js';
import { CITATION_MARKER } from './citations.js';
import { splitSentences, type Sentence } from './sentences.js';

export interface ExtractiveGeneratorOptions {
  /** The analyzer the project's index uses, so question and passages are compared as terms. */
  analyze: (text: string) => string[];
  /** The terms of a question, when they differ from `analyze`'s (see `queryTerms`). */
  analyzeQuestion?: (text: string) => string[];
  /** Most sentences quoted in one answer. */
  maxSentences?: number;
  /** Budget for the quoted text; the first sentence is always kept, clipped to fit. */
  maxChars?: number;
}

/** What the extractive generator says when it has nothing to quote. */
export const NO_ANSWER = 'No relevant passage was found in this project for that question.';

/** Opens every extractive answer, so nobody mistakes quotes for written prose. */
export const EXTRACTIVE_LEAD = 'From your documents:';

/** Three or four sentences answer most questions and still read at a glance. */
const DEFAULT_MAX_SENTENCES = 4;
const DEFAULT_MAX_CHARS = 700;
/** How much the retriever's ranking counts next to term overlap (which scores 0 to 1). */
const RETRIEVAL_WEIGHT = 0.3;
/** Sentences scoring below this share of the best one would pad the answer, not inform it. */
const MIN_RELATIVE_SCORE = 0.5;
/** Term-set overlap above which two sentences say the same thing (copies across documents). */
const DUPLICATE_JACCARD = 0.8;

interface Candidate {
  passage: Passage;
  passageRank: number;
  sentence: Sentence;
  terms: Set<string>;
  score: number;
}

function jaccard(a: Set<string>, b: Set<string>): number {
  let shared = 0;
  for (const term of a) if (b.has(term)) shared++;
  return shared / (a.size + b.size - shared || 1);
}

/** Same document and overlapping offsets: overlapping chunks repeat sentences. */
function sameText(a: Candidate, b: Candidate): boolean {
  const aStart = a.passage.start + a.sentence.start;
  const bStart = b.passage.start + b.sentence.start;
  return (
    a.passage.documentId === b.passage.documentId &&
    aStart < bStart + (b.sentence.end - b.sentence.start) &&
    bStart < aStart + (a.sentence.end - a.sentence.start)
  );
}

/**
 * Shown text of a quote: whitespace collapsed, and bracketed numbers (reference marks in
 * papers, "[12]") turned into parentheses so they cannot be mistaken for Quarry's citations.
 */
function display(sentence: Sentence): string {
  const text = sentence.text.replace(/\s+/g, ' ').replace(CITATION_MARKER, '($1)');
  return sentence.clipped ? `${text} …` : text;
}

/** Splits text into tokens that each start with the whitespace before a word. */
function words(text: string): string[] {
  return text.match(/\s*\S+/g) ?? [];
}

/**
 * Answers by quoting the passages' most relevant sentences, each followed by its citation.
 * It writes nothing of its own beyond a leading phrase, so every claim can be checked against
 * its source, and when no sentence shares a term with the question it says so instead of
 * guessing.
 */
export class ExtractiveGenerator implements AnswerGenerator {
  readonly id = 'extractive-v1';
  readonly kind = 'extractive' as const;
  private readonly analyze: (text: string) => string[];
  private readonly analyzeQuestion: (text: string) => string[];
  private readonly maxSentences: number;
  private readonly maxChars: number;

  constructor(options: ExtractiveGeneratorOptions) {
    this.analyze = options.analyze;
    this.analyzeQuestion = options.analyzeQuestion ?? options.analyze;
    this.maxSentences = Math.max(1, options.maxSentences ?? DEFAULT_MAX_SENTENCES);
    this.maxChars = Math.max(1, options.maxChars ?? DEFAULT_MAX_CHARS);
  }

  async *generate(
    question: string,
    passages: Passage[],
    context: AnswerContext = {},
  ): AsyncIterable<AnswerEvent> {
    const chosen = this.choose(question, passages, context);
    const events: AnswerEvent[] = [];
    const citations: Citation[] = [];
    let answer = '';
    const say = (text: string) => {
      answer += text;
      events.push({ type: 'token', text });
    };

    if (chosen.length === 0) {
      words(NO_ANSWER).forEach(say);
    } else {
      words(EXTRACTIVE_LEAD).forEach(say);
      for (const { passage, sentence } of chosen) {
        const citation: Citation = {
          n: citations.length + 1,
          chunkId: passage.chunkId,
          documentId: passage.documentId,
          documentTitle: passage.documentTitle,
          page: passage.page,
          start: passage.start + sentence.start,
          end: passage.start + sentence.end,
          quote: sentence.text,
        };
        if (citation.page === undefined) delete citation.page;
        citations.push(citation);

        words(`\n“${display(sentence)}”`).forEach(say);
        events.push({ type: 'citation', citation });
        say(` [${citation.n}]`);
      }
    }

    yield* events;
    yield {
      type: 'done',
      answer,
      citations,
      generator: this.id,
      grounded: citations.length > 0,
    };
  }

  /** The sentences to quote, in the order they will be read. */
  /**
   * Without project-wide figures, a question term's weight is its idf over the passages
   * themselves: a term every passage shares says little about which sentence answers.
   */
  private passageIdf(questionTerms: Set<string>, passages: Passage[]) {
    const containing = new Map<string, number>();
    for (const passage of passages) {
      for (const term of new Set(this.analyze(passage.text))) {
        if (questionTerms.has(term)) containing.set(term, (containing.get(term) ?? 0) + 1);
      }
    }
    return (term: string) => bm25Idf(passages.length, containing.get(term) ?? 0);
  }

  private choose(question: string, passages: Passage[], context: AnswerContext): Candidate[] {
    const questionTerms = new Set(this.analyzeQuestion(question));
    if (questionTerms.size === 0 || passages.length === 0) return [];

    const weight = new Map<string, number>();
    let totalWeight = 0;
    const localWeight = this.passageIdf(questionTerms, passages);
    for (const term of questionTerms) {
      const w = context.termWeight ? context.termWeight(term) : localWeight(term);
      weight.set(term, w);
      totalWeight += w;
    }
    if (!(totalWeight > 0)) return [];

    // Retrieval scores come on any scale (BM25, cosine, fused ranks); only their order within
    // this list means something, so they are rescaled to [0, 1].
    const scores = passages.map((passage) => passage.score);
    const low = Math.min(...scores);
    const spread = Math.max(...scores) - low;

    const candidates: Candidate[] = [];
    passages.forEach((passage, passageRank) => {
      const retrieval = spread > 0 ? (passage.score - low) / spread : 1;
      for (const sentence of splitSentences(passage.text, this.maxChars)) {
        const terms = new Set(this.analyze(sentence.text));
        let overlap = 0;
        for (const term of terms) overlap += weight.get(term) ?? 0;
        if (overlap === 0) continue;
        const score = overlap / totalWeight + RETRIEVAL_WEIGHT * retrieval;
        candidates.push({ passage, passageRank, sentence, terms, score });
      }
    });
    candidates.sort(
      (a, b) =>
        b.score - a.score || a.passageRank - b.passageRank || a.sentence.start - b.sentence.start,
    );

    const picked: Candidate[] = [];
    let used = 0;
    for (const candidate of candidates) {
      if (picked.length >= this.maxSentences) break;
      if (candidate.score < MIN_RELATIVE_SCORE * candidates[0]!.score) break;
      const length = candidate.sentence.end - candidate.sentence.start;
      if (picked.length > 0 && used + length > this.maxChars) continue;
      const duplicate = picked.some(
        (other) =>
          sameText(candidate, other) || jaccard(candidate.terms, other.terms) >= DUPLICATE_JACCARD,
      );
      if (duplicate) continue;
      picked.push(candidate);
      used += length;
    }

    // Read passage by passage, best passage first, each in its own text order.
    const best = new Map<Passage, number>();
    picked.forEach((candidate, i) => {
      if (!best.has(candidate.passage)) best.set(candidate.passage, i);
    });
    return picked.sort(
      (a, b) => best.get(a.passage)! - best.get(b.passage)! || a.sentence.start - b.sentence.start,
    );
  }
}
