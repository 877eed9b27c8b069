export { LsaModel } from './lsa-model.js';
export type { LsaModelParts, LsaWeighting } from './lsa-model.js';
export { DEFAULT_LSA_OPTIONS, fitLsaModel, lsaFitSample } from './lsa-fit.js';
export type { LsaFitOptions } from './lsa-fit.js';
export { LsaEmbedder } from './lsa-embedder.js';
export { truncatedSvd } from './randomized-svd.js';
export type { SparseColumns, TruncatedSvd, TruncatedSvdOptions } from './randomized-svd.js';
export { DEFAULT_LSA_REFIT_POLICY, lsaRefitDue } from './lsa-refit.js';
export type { LsaRefitPolicy } from './lsa-refit.js';
