import type { Analyzer, Embedder } from '../types.js';
import type { LsaModel } from './lsa-model.js';

/**
 * Quarry's built-in embedder: needs no downloaded weights, because its model is fitted on
 * the project's own chunks ({@link fitLsaModel}). Texts are analyzed with the analyzer the
 * model was fitted with, then folded into the model's latent space.
 */
export class LsaEmbedder implements Embedder {
  readonly modelId: string;
  readonly dimension: number;
  /** Embedding is a few thousand multiply-adds per text; batches only bound latency. */
  readonly batchSize = 256;

  constructor(
    readonly model: LsaModel,
    private readonly analyzer: Analyzer,
  ) {
    if (model.analyzerId !== undefined && model.analyzerId !== analyzer.id) {
      throw new Error(
        `LSA model ${model.modelId} was fitted on terms of analyzer ${model.analyzerId}, ` +
          `not ${analyzer.id}`,
      );
    }
    this.modelId = model.modelId;
    this.dimension = model.dimension;
  }

  async embed(texts: string[]): Promise<Float32Array[]> {
    return texts.map((text) => this.model.embedTerms(this.analyzer.analyze(text)));
  }

  /** The embedding of already analyzed terms (a chunk's stored terms), without re-analysis. */
  embedTerms(terms: readonly string[]): Float32Array {
    return this.model.embedTerms(terms);
  }
}
