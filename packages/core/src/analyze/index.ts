export {
  ENGLISH_QUERY_STOP_WORDS,
  ENGLISH_STOP_WORDS,
  createEnglishAnalyzer,
  englishAnalyzer,
  tokenize,
} from './english-analyzer.js';
export { queryTerms } from './query-terms.js';
