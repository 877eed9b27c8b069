import { createHash } from 'node:crypto';
import { and, eq, isNull, ne } from 'drizzle-orm';
import { fileBlobs, files, type Database, type FileRow } from '@quarry/store';
import { recordAudit } from '../audit/audit.service.js';
import type { Caller } from '../caller.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { ProjectsService } from '../projects/projects.service.js';
import type { FileEvents } from './file-events.js';

export interface UploadedFile {
  name: string;
  bytes: Uint8Array;
  /** The transfer stopped at the size limit: the file is larger than `bytes`. */
  truncated?: boolean;
}

export interface UploadResult {
  fileId: string;
  name: string;
  state: string;
  duplicateOf?: string;
  errorCode?: string;
  errorMessage?: string;
}

export interface IngestService {
  /**
   * Accepts files into a project. A file is accepted once its original and its job are
   * stored in one transaction; processing happens later in the worker.
   */
  upload(caller: Caller, projectRef: string, uploads: UploadedFile[]): Promise<UploadResult[]>;
}

function describeSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${(bytes / 1024 / 1024).toFixed(1)} MB` : `${bytes} bytes`;
}

export function createIngestService(deps: {
  db: Database;
  queue: JobQueue;
  projects: ProjectsService;
  events: FileEvents;
  maxFileBytes: number;
  onAccepted?: () => void;
}): IngestService {
  const { db, queue } = deps;

  async function findOriginal(projectId: string, hash: string): Promise<FileRow | undefined> {
    const [row] = await db
      .select()
      .from(files)
      .where(
        and(
          eq(files.projectId, projectId),
          eq(files.contentHash, hash),
          isNull(files.duplicateOf),
          ne(files.state, 'failed'),
        ),
      );
    return row;
  }

  /** The file row every outcome starts from: who sent what, under which name. */
  function fileRow(projectId: string, upload: UploadedFile, hash: string, caller: Caller) {
    return {
      projectId,
      name: upload.name,
      sizeBytes: upload.bytes.byteLength,
      contentHash: hash,
      uploadedBy: caller.userId,
    };
  }

  /**
   * Records an upload that will not be processed: a duplicate of an earlier file, or a file
   * rejected before processing. Rejected files are still recorded so that every upload ends
   * in a visible state; failed files never count as originals, so they may be sent again.
   */
  async function recordOutcome(
    row: ReturnType<typeof fileRow>,
    outcome:
      | { state: 'duplicate'; duplicateOf: string }
      | { state: 'failed'; errorCode: string; errorMessage: string },
  ): Promise<FileRow> {
    const [recorded] = await db
      .insert(files)
      .values({ ...row, ...outcome })
      .returning();
    return recorded!;
  }

  async function acceptOne(projectId: string, caller: Caller, upload: UploadedFile) {
    const hash = createHash('sha256').update(upload.bytes).digest('hex');
    const row = fileRow(projectId, upload, hash, caller);
    if (upload.truncated || upload.bytes.byteLength > deps.maxFileBytes) {
      return recordOutcome(row, {
        state: 'failed',
        errorCode: 'too_large',
        errorMessage:
          `This file is larger than the limit of ${describeSize(deps.maxFileBytes)}. ` +
          'Split it or ask an administrator to raise the limit.',
      });
    }

    const original = await findOriginal(projectId, hash);
    if (original) return recordOutcome(row, { state: 'duplicate', duplicateOf: original.id });

    try {
      return await db.transaction(async (tx) => {
        const [file] = await tx
          .insert(files)
          .values({ ...row, state: 'queued' })
          .returning();
        await tx.insert(fileBlobs).values({ fileId: file!.id, bytes: Buffer.from(upload.bytes) });
        await queue.enqueue(tx, { kind: 'ingest_file', projectId, fileId: file!.id });
        await recordAudit(tx, caller, {
          action: 'document.upload',
          projectId,
          target: { type: 'file', id: file!.id },
          details: { name: file!.name, sizeBytes: file!.sizeBytes },
        });
        return file!;
      });
    } catch (error) {
      // Two uploads of the same bytes raced; the unique index let one win.
      const winner = await findOriginal(projectId, hash);
      if (winner) return recordOutcome(row, { state: 'duplicate', duplicateOf: winner.id });
      throw error;
    }
  }

  return {
    async upload(caller, projectRef, uploads) {
      const project = await deps.projects.get(caller, projectRef, 'edit');
      const results: UploadResult[] = [];
      for (const upload of uploads) {
        const file = await acceptOne(project.id, caller, upload);
        deps.events.publish({
          projectId: project.id,
          fileId: file.id,
          name: file.name,
          state: file.state,
          errorCode: file.errorCode,
          errorMessage: file.errorMessage,
        });
        results.push({
          fileId: file.id,
          name: file.name,
          state: file.state,
          ...(file.duplicateOf ? { duplicateOf: file.duplicateOf } : {}),
          ...(file.errorCode ? { errorCode: file.errorCode } : {}),
          ...(file.errorMessage ? { errorMessage: file.errorMessage } : {}),
        });
      }
      deps.onAccepted?.();
      return results;
    },
  };
}
