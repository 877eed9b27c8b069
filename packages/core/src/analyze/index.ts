export {
  ENGLISH_STOP_WORDS,
  createEnglishAnalyzer,
  englishAnalyzer,
  tokenize,
} from './english-analyzer.js';
