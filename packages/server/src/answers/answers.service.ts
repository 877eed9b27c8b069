import {
  ExtractiveGenerator,
  queryTerms,
  type Analyzer,
  type AnswerEvent,
  type AnswerGenerator,
} from '@quarry/core';
import type { Caller } from '../caller.js';
import type { SearchService } from '../search/search.service.js';

/** Passages handed to the generator: enough to cover a question, few enough to stay focused. */
const PASSAGES_PER_ANSWER = 8;

export interface AskRequest {
  question: string;
  mode?: 'hybrid' | 'keyword' | 'semantic';
}

export interface AnswersService {
  /** Streams an answer whose every citation points at a passage the caller may read. */
  ask(caller: Caller, projectRef: string, request: AskRequest): AsyncIterable<AnswerEvent>;
}

export function createAnswersService(deps: {
  search: SearchService;
  analyzer: Analyzer;
  generator?: AnswerGenerator;
}): AnswersService {
  const generator =
    deps.generator ??
    new ExtractiveGenerator({
      analyze: (text) => deps.analyzer.analyze(text),
      analyzeQuestion: (text) => queryTerms(deps.analyzer, text),
    });
  return {
    async *ask(caller, projectRef, request) {
      // Retrieval goes through the search service, so the caller's permissions apply to
      // every passage before the generator sees it.
      const { passages, context } = await deps.search.retrievePassages(
        caller,
        projectRef,
        request.question,
        { mode: request.mode ?? 'hybrid', limit: PASSAGES_PER_ANSWER },
      );
      yield* generator.generate(request.question, passages, context);
    },
  };
}
