import type { ExtractionLimits } from '../types.js';

/**
 * Limits used when the caller sets none. 50 MiB covers large manuals and reports; 200 MiB
 * unpacked is four times that, room for text-heavy DOCX while still refusing compression
 * bombs; 2000 pages bounds the time one PDF can hold an ingest worker.
 */
export const DEFAULT_EXTRACTION_LIMITS: ExtractionLimits = Object.freeze({
  maxFileBytes: 50 * 1024 * 1024,
  maxDecompressedBytes: 200 * 1024 * 1024,
  maxPages: 2000,
});

/** Fills unset limits with the defaults; a limit that is not a positive integer is a bug. */
export function resolveLimits(overrides: Partial<ExtractionLimits> = {}): ExtractionLimits {
  const limits: ExtractionLimits = { ...DEFAULT_EXTRACTION_LIMITS };

  for (const key of Object.keys(limits) as (keyof ExtractionLimits)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (!Number.isSafeInteger(value) || value <= 0) {
      throw new RangeError(`Extraction limit ${key} must be a positive integer, got ${value}`);
    }
    limits[key] = value;
  }

  return limits;
}
