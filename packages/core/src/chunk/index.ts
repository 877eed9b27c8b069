export { chunkDocument, DEFAULT_CHUNKING } from './chunker.js';
