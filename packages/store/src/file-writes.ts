import { DuplicateContentError, isUniqueViolation } from './errors.js';
import { files, type FileRow, type NewFileRow } from './schema.js';
import type { Database } from './store-types.js';

/** The partial unique index that keeps one original per content hash in a project. */
export const FILE_CONTENT_INDEX = 'files_project_content_hash_unique';

/**
 * Inserts a file record. An original (no `duplicateOf`) whose content hash is already an
 * original in the project is refused with `DuplicateContentError`; the database decides, so
 * two concurrent uploads of the same bytes cannot both get in.
 *
 * Inside a transaction the refusal aborts it, so look up the existing original afterwards
 * (or in a fresh transaction) to record the upload as its duplicate.
 */
export async function insertFile(db: Database, values: NewFileRow): Promise<FileRow> {
  try {
    const [row] = await db.insert(files).values(values).returning();
    return row as FileRow;
  } catch (error) {
    if (isUniqueViolation(error, FILE_CONTENT_INDEX)) {
      throw new DuplicateContentError(values.projectId, values.contentHash, { cause: error });
    }
    throw error;
  }
}
