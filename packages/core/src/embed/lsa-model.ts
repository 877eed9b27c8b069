/** How term counts are weighted before the SVD and when a text is folded in. */
export type LsaWeighting = 'log-entropy' | 'tfidf';

const WEIGHTING_CODES: readonly LsaWeighting[] = ['log-entropy', 'tfidf'];
const MAGIC = 0x41534c51; // "QLSA" read as a little-endian u32
const FORMAT_VERSION = 1;
const HEADER_WORDS = 8;

/** What a fitted model is made of; {@link LsaModel} validates and owns it. */
export interface LsaModelParts {
  dimension: number;
  weighting: LsaWeighting;
  /** The analyzer whose terms the model was fitted on, when known. */
  analyzerId?: string;
  documentCount: number;
  vocabulary: readonly string[];
  /** Global weight of each vocabulary term (entropy or idf). */
  globalWeights: Float32Array;
  /** vocabulary.length × dimension, row-major: the latent vector of each term. */
  termVectors: Float32Array;
  /** The singular values found, largest first (for inspection; may be shorter). */
  singularValues: Float32Array;
}

/**
 * A latent semantic analysis model: a vector per vocabulary term, learned from a project's
 * own chunks, so that terms used in the same contexts get similar vectors. A text is
 * embedded by folding in: the weighted sum of its terms' vectors, scaled to unit length.
 * Terms outside the vocabulary are ignored; a text with none yields the zero vector.
 */
export class LsaModel {
  /** `lsa-v1-<dimension>d-<hash>`: the hash covers the vocabulary and the vectors. */
  readonly modelId: string;
  readonly dimension: number;
  readonly weighting: LsaWeighting;
  readonly analyzerId: string | undefined;
  readonly documentCount: number;
  readonly vocabulary: readonly string[];
  readonly singularValues: Float32Array;
  private readonly globalWeights: Float32Array;
  private readonly termVectors: Float32Array;
  private readonly termIndex: Map<string, number>;

  constructor(parts: LsaModelParts) {
    const size = parts.vocabulary.length;
    if (!Number.isInteger(parts.dimension) || parts.dimension < 1) {
      throw new Error(`an LSA model needs a positive integer dimension, got ${parts.dimension}`);
    }
    if (
      parts.globalWeights.length !== size ||
      parts.termVectors.length !== size * parts.dimension
    ) {
      throw new Error('LSA model parts disagree on the vocabulary size');
    }
    this.dimension = parts.dimension;
    this.weighting = parts.weighting;
    this.analyzerId = parts.analyzerId;
    this.documentCount = parts.documentCount;
    this.vocabulary = parts.vocabulary;
    this.globalWeights = parts.globalWeights;
    this.termVectors = parts.termVectors;
    this.singularValues = parts.singularValues;
    this.termIndex = new Map(parts.vocabulary.map((term, i) => [term, i]));
    this.modelId = `lsa-v${FORMAT_VERSION}-${parts.dimension}d-${this.contentHash()}`;
  }

  /** The unit-length embedding of a text's analyzed terms (zero if none is known). */
  embedTerms(terms: readonly string[]): Float32Array {
    const counts = new Map<number, number>();
    for (const term of terms) {
      const t = this.termIndex.get(term);
      if (t !== undefined) counts.set(t, (counts.get(t) ?? 0) + 1);
    }

    // Fold in: Σ log(1 + tf) · global weight · term vector, then scale to unit length.
    const d = this.dimension;
    const vectors = this.termVectors;
    const sum = new Float64Array(d);
    for (const [t, tf] of counts) {
      const weight = Math.log1p(tf) * this.globalWeights[t]!;
      if (weight === 0) continue;
      const base = t * d;
      for (let c = 0; c < d; c++) sum[c] = sum[c]! + weight * vectors[base + c]!;
    }
    return toUnitFloat32(sum);
  }

  /** The latent vector of one vocabulary term, or undefined for an unknown term. */
  termVector(term: string): Float32Array | undefined {
    const t = this.termIndex.get(term);
    if (t === undefined) return undefined;
    return this.termVectors.slice(t * this.dimension, (t + 1) * this.dimension);
  }

  /**
   * A compact binary form for storage: a header of little-endian u32 words, the global
   * weights, the term vectors and singular values (Float32), then the vocabulary as JSON.
   */
  serialize(): Uint8Array {
    const vocabularyBytes = new TextEncoder().encode(JSON.stringify(this.vocabulary));
    const analyzerBytes = new TextEncoder().encode(this.analyzerId ?? '');
    const floats = [this.globalWeights, this.termVectors, this.singularValues];
    const floatBytes = floats.reduce((sum, array) => sum + array.byteLength, 0);
    const analyzerPadded = align4(analyzerBytes.length);
    const bytes = new Uint8Array(
      HEADER_WORDS * 4 + analyzerPadded + floatBytes + vocabularyBytes.length,
    );

    const header = new DataView(bytes.buffer);
    const fields = [
      MAGIC,
      FORMAT_VERSION,
      this.dimension,
      this.vocabulary.length,
      WEIGHTING_CODES.indexOf(this.weighting),
      this.documentCount,
      this.singularValues.length,
      analyzerBytes.length,
    ];
    fields.forEach((value, i) => header.setUint32(i * 4, value, true));

    let offset = HEADER_WORDS * 4;
    bytes.set(analyzerBytes, offset);
    offset += analyzerPadded;
    for (const array of floats) {
      bytes.set(floatsAsBytes(array), offset);
      offset += array.byteLength;
    }
    bytes.set(vocabularyBytes, offset);
    return bytes;
  }

  /** Reads a model written by {@link serialize}; throws on anything else. */
  static deserialize(bytes: Uint8Array): LsaModel {
    if (bytes.byteLength < HEADER_WORDS * 4) throw new Error('not an LSA model: too short');
    const header = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const word = (i: number): number => header.getUint32(i * 4, true);
    if (word(0) !== MAGIC) throw new Error('not an LSA model: bad magic number');
    if (word(1) !== FORMAT_VERSION) throw new Error(`unsupported LSA model format ${word(1)}`);

    const [dimension, size, weightingCode, documentCount, singularCount, analyzerLength] = [
      word(2),
      word(3),
      word(4),
      word(5),
      word(6),
      word(7),
    ];
    const weighting = WEIGHTING_CODES[weightingCode];
    if (weighting === undefined) throw new Error(`unknown LSA weighting code ${weightingCode}`);

    let offset = HEADER_WORDS * 4;
    const analyzerId = new TextDecoder().decode(bytes.subarray(offset, offset + analyzerLength));
    offset += align4(analyzerLength);
    const readFloats = (count: number): Float32Array => {
      const end = offset + count * 4;
      if (end > bytes.byteLength) throw new Error('LSA model is truncated');
      // Copy into a fresh buffer: the input may sit at an offset not divisible by 4.
      const array = new Float32Array(bytes.slice(offset, end).buffer);
      offset = end;
      return array;
    };
    const globalWeights = readFloats(size);
    const termVectors = readFloats(size * dimension);
    const singularValues = readFloats(singularCount);
    const vocabulary = JSON.parse(new TextDecoder().decode(bytes.subarray(offset))) as unknown;
    if (!Array.isArray(vocabulary) || vocabulary.length !== size) {
      throw new Error('LSA model vocabulary is damaged');
    }

    return new LsaModel({
      dimension,
      weighting,
      analyzerId: analyzerId === '' ? undefined : analyzerId,
      documentCount,
      vocabulary: vocabulary as string[],
      globalWeights,
      termVectors,
      singularValues,
    });
  }

  /** FNV-1a over the vocabulary, weights and vectors (32-bit words), as 8 hex digits. */
  private contentHash(): string {
    let hash = 0x811c9dc5;
    const mix = (value: number): void => {
      hash = Math.imul(hash ^ value, 0x01000193);
    };
    for (const term of this.vocabulary) {
      for (let i = 0; i < term.length; i++) mix(term.charCodeAt(i));
      mix(0);
    }
    for (const array of [this.globalWeights, this.termVectors]) {
      const words = new Uint32Array(array.buffer, array.byteOffset, array.length);
      for (let i = 0; i < words.length; i++) mix(words[i]!);
    }
    mix(WEIGHTING_CODES.indexOf(this.weighting));
    return (hash >>> 0).toString(16).padStart(8, '0');
  }
}

/** A Float32 copy of `sum` scaled to unit length; the zero vector stays zero. */
function toUnitFloat32(sum: Float64Array): Float32Array {
  let norm = 0;
  for (let c = 0; c < sum.length; c++) norm += sum[c]! * sum[c]!;
  const vector = new Float32Array(sum.length);
  if (norm === 0) return vector;
  const inverse = 1 / Math.sqrt(norm);
  for (let c = 0; c < sum.length; c++) vector[c] = sum[c]! * inverse;
  return vector;
}

function align4(length: number): number {
  return Math.ceil(length / 4) * 4;
}

/**
 * The bytes of a Float32Array in little-endian order. Every platform Node supports is
 * little-endian; the check keeps a stored model from being silently misread elsewhere.
 */
function floatsAsBytes(array: Float32Array): Uint8Array {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new Error('LSA models are stored little-endian; this platform is big-endian');
  }
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}
