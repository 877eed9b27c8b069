export {
  CITATION_MARKER,
  collectAnswer,
  parseCitations,
  validateCitations,
  type AnswerDone,
  type CitationCheck,
} from './citations.js';
export {
  EXTRACTIVE_LEAD,
  ExtractiveGenerator,
  NO_ANSWER,
  type ExtractiveGeneratorOptions,
} from './extractive-generator.js';
