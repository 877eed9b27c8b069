/**
 * Extraction: uploaded bytes in, searchable text out. The kind of a file is read from its
 * content; every way a file can fail is an `ExtractionError` with a stable code.
 */
export { extractFile } from './extract-file.js';
export type { ExtractFileOptions } from './extract-file.js';
export { detectKind } from './detect.js';
export type { KindDetection } from './detect.js';
export { ExtractionError, isExtractionError } from './errors.js';
export { DEFAULT_EXTRACTION_LIMITS } from './limits.js';
