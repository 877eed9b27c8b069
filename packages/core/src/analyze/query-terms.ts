import type { Analyzer } from '../types.js';

/** The terms `query` is searched by with `analyzer`: its query terms, where it has its own. */
export function queryTerms(analyzer: Analyzer, query: string): string[] {
  return analyzer.analyzeQuery ? analyzer.analyzeQuery(query) : analyzer.analyze(query);
}
