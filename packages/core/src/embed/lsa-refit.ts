import type { LsaModel } from './lsa-model.js';

/** When a project's LSA model is (re)fitted; see {@link lsaRefitDue}. */
export interface LsaRefitPolicy {
  /**
   * Below this many chunks co-occurrence statistics are too thin for LSA to add meaning;
   * such projects search by keyword only.
   */
  minChunks: number;
  /** Refit once the project has grown (or shrunk) by this factor since the last fit. */
  growthFactor: number;
}

export const DEFAULT_LSA_REFIT_POLICY: LsaRefitPolicy = { minChunks: 50, growthFactor: 2 };

/**
 * Whether a project with `chunkCount` chunks should fit a new LSA model: when it has none
 * yet and is large enough, or when it has grown or shrunk by `growthFactor` since the model
 * was fitted. New chunks are folded into the current model in between, so a refit is only
 * needed when the vocabulary and its co-occurrences may have shifted. Refitting changes the
 * model id, so every chunk vector must then be recomputed.
 */
export function lsaRefitDue(
  model: LsaModel | undefined,
  chunkCount: number,
  policy: LsaRefitPolicy = DEFAULT_LSA_REFIT_POLICY,
): boolean {
  if (chunkCount < policy.minChunks) return false;
  if (!model) return true;
  const fitted = Math.max(model.documentCount, 1);
  return chunkCount >= fitted * policy.growthFactor || chunkCount * policy.growthFactor <= fitted;
}
