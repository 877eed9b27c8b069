import { and, asc, desc, eq, inArray, sql } from 'drizzle-orm';
import { chunks, documents, fileBlobs, files, type Database } from '@quarry/store';
import { memberOf } from '../access/access.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Caller } from '../caller.js';
import { QuarryError } from '../errors/catalogue.js';
import type { ProjectsService } from '../projects/projects.service.js';

export interface FileSummary {
  id: string;
  name: string;
  kind: string | null;
  mediaType: string | null;
  sizeBytes: number;
  state: string;
  errorCode: string | null;
  errorMessage: string | null;
  duplicateOf: string | null;
  pageCount: number | null;
  /** For an indexed file, what the uploader should know (records left out, say). */
  notice: string | null;
  documentCount: number;
  chunkCount: number;
  uploadedBy: string | null;
  /** The uploader's e-mail address, while the account exists. */
  uploadedByEmail: string | null;
  /** The first document extracted from the file, to open it from a list. */
  firstDocumentId: string | null;
  createdAt: Date;
  updatedAt: Date;
}

export interface DocumentDetail {
  id: string;
  fileId: string;
  externalId: string | null;
  title: string;
  kind: string | null;
  pageCount: number | null;
  pages: Array<{ page: number; start: number; end: number }> | null;
  text: string;
  createdAt: Date;
}

export interface FileOriginal {
  name: string;
  mediaType: string | null;
  bytes: Uint8Array;
}

export interface DocumentSummary {
  id: string;
  fileId: string;
  fileName: string;
  externalId: string | null;
  title: string;
  kind: string | null;
  pageCount: number | null;
  createdAt: Date;
}

export interface DocumentsService {
  listFiles(
    caller: Caller,
    projectRef: string,
    options: { state?: string; limit: number; offset: number },
  ): Promise<{ total: number; files: FileSummary[] }>;
  getFile(caller: Caller, projectRef: string, fileId: string): Promise<FileSummary>;
  /** The bytes of an upload exactly as received, with its name and detected type. */
  readOriginal(caller: Caller, projectRef: string, fileId: string): Promise<FileOriginal>;
  getDocument(caller: Caller, projectRef: string, documentId: string): Promise<DocumentDetail>;
  listDocuments(
    caller: Caller,
    projectRef: string,
    options: { fileId?: string; limit: number; offset: number },
  ): Promise<{ total: number; documents: DocumentSummary[] }>;
  /** Removes one document with its chunks, vectors and keyword entries, atomically. */
  deleteDocument(caller: Caller, projectRef: string, documentId: string): Promise<void>;
  /** Removes a file with its documents, chunks, vectors and keyword entries, atomically. */
  deleteFile(caller: Caller, projectRef: string, fileId: string): Promise<void>;
}

const fileColumns = {
  id: files.id,
  name: files.name,
  kind: files.kind,
  mediaType: files.mediaType,
  sizeBytes: files.sizeBytes,
  state: files.state,
  errorCode: files.errorCode,
  errorMessage: files.errorMessage,
  duplicateOf: files.duplicateOf,
  pageCount: files.pageCount,
  notice: files.notice,
  documentCount: files.documentCount,
  chunkCount: files.chunkCount,
  uploadedBy: files.uploadedBy,
  // Correlated subqueries name the outer table: unqualified, "id" would be the inner one's.
  // `uploaded_by` holds a user id as text; cast it, not the key, so the key's index serves.
  uploadedByEmail: sql<
    string | null
  >`(select u.email from users u where u.id = "files"."uploaded_by"::uuid)`,
  firstDocumentId: sql<string | null>`(select d.id from documents d
    where d.file_id = "files"."id" order by d.created_at limit 1)`,
  createdAt: files.createdAt,
  updatedAt: files.updatedAt,
};

/** One file of a project, found only through the caller's membership of the project. */
const oneFile = (caller: Caller, projectId: string, fileId: string) =>
  and(eq(files.projectId, projectId), eq(files.id, fileId), memberOf(caller, files.projectId));

export function createDocumentsService(deps: {
  db: Database;
  projects: ProjectsService;
  onChunksRemoved: (projectId: string, chunkIds: number[]) => void;
}): DocumentsService {
  const { db } = deps;

  const service: DocumentsService = {
    async listFiles(caller, projectRef, { state, limit, offset }) {
      const project = await deps.projects.get(caller, projectRef);
      const where = and(
        eq(files.projectId, project.id),
        memberOf(caller, files.projectId),
        state ? eq(files.state, state as 'indexed') : undefined,
      );
      const [count] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(files)
        .where(where);
      const rows = await db
        .select(fileColumns)
        .from(files)
        .where(where)
        .orderBy(desc(files.createdAt), asc(files.name))
        .limit(limit)
        .offset(offset);
      return { total: count?.n ?? 0, files: rows };
    },

    async getFile(caller, projectRef, fileId) {
      const project = await deps.projects.get(caller, projectRef);
      const [row] = await db
        .select(fileColumns)
        .from(files)
        .where(oneFile(caller, project.id, fileId));
      if (!row) throw new QuarryError('file_not_found');
      return row;
    },

    async readOriginal(caller, projectRef, fileId) {
      const project = await deps.projects.get(caller, projectRef);
      const [row] = await db
        .select({ name: files.name, mediaType: files.mediaType, bytes: fileBlobs.bytes })
        .from(files)
        .innerJoin(fileBlobs, eq(fileBlobs.fileId, files.id))
        .where(oneFile(caller, project.id, fileId));
      if (!row) throw new QuarryError('file_not_found');
      return row;
    },

    async getDocument(caller, projectRef, documentId) {
      const project = await deps.projects.get(caller, projectRef);
      const [row] = await db
        .select()
        .from(documents)
        .where(
          and(
            eq(documents.projectId, project.id),
            eq(documents.id, documentId),
            memberOf(caller, documents.projectId),
          ),
        );
      if (!row) throw new QuarryError('document_not_found');
      return {
        id: row.id,
        fileId: row.fileId,
        externalId: row.externalId,
        title: row.title,
        kind: row.kind,
        pageCount: row.pageCount,
        pages: row.pages ?? null,
        text: row.text,
        createdAt: row.createdAt,
      };
    },

    async listDocuments(caller, projectRef, { fileId, limit, offset }) {
      const project = await deps.projects.get(caller, projectRef);
      const where = and(
        eq(documents.projectId, project.id),
        fileId ? eq(documents.fileId, fileId) : undefined,
        memberOf(caller, documents.projectId),
      );
      const [count] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(documents)
        .where(where);
      const rows = await db
        .select({
          id: documents.id,
          fileId: documents.fileId,
          fileName: files.name,
          externalId: documents.externalId,
          title: documents.title,
          kind: documents.kind,
          pageCount: documents.pageCount,
          createdAt: documents.createdAt,
        })
        .from(documents)
        .innerJoin(files, eq(files.id, documents.fileId))
        .where(where)
        .orderBy(desc(documents.createdAt), asc(documents.id))
        .limit(limit)
        .offset(offset);
      return { total: count?.n ?? 0, documents: rows };
    },

    async deleteDocument(caller, projectRef, documentId) {
      const project = await deps.projects.get(caller, projectRef, 'edit');
      const removed = await db.transaction(async (tx) => {
        const chunkIds = (
          await tx
            .select({ id: chunks.id })
            .from(chunks)
            .where(and(eq(chunks.projectId, project.id), eq(chunks.documentId, documentId)))
        ).map((c) => c.id);
        const [deleted] = await tx
          .delete(documents)
          .where(
            and(
              eq(documents.projectId, project.id),
              eq(documents.id, documentId),
              memberOf(caller, documents.projectId, 'edit'),
            ),
          )
          .returning({ fileId: documents.fileId, title: documents.title });
        if (!deleted) throw new QuarryError('document_not_found');
        await recordAudit(tx, caller, {
          action: 'document.delete',
          projectId: project.id,
          target: { type: 'document', id: documentId },
          details: { title: deleted.title },
        });
        // Chunks (with their stored terms) and vectors cascade from the document row.
        await tx
          .update(files)
          .set({
            documentCount: sql`greatest(${files.documentCount} - 1, 0)`,
            chunkCount: sql`greatest(${files.chunkCount} - ${chunkIds.length}, 0)`,
          })
          .where(eq(files.id, deleted.fileId));
        return chunkIds;
      });
      deps.onChunksRemoved(project.id, removed);
    },

    async deleteFile(caller, projectRef, fileId) {
      const project = await deps.projects.get(caller, projectRef, 'edit');
      const removed = await db.transaction(async (tx) => {
        const [file] = await tx
          .select({ id: files.id, name: files.name })
          .from(files)
          .where(
            and(
              eq(files.projectId, project.id),
              eq(files.id, fileId),
              memberOf(caller, files.projectId, 'edit'),
            ),
          )
          .for('update');
        if (!file) throw new QuarryError('file_not_found');
        await recordAudit(tx, caller, {
          action: 'document.delete',
          projectId: project.id,
          target: { type: 'file', id: fileId },
          details: { name: file.name },
        });
        const documentIds = (
          await tx.select({ id: documents.id }).from(documents).where(eq(documents.fileId, fileId))
        ).map((d) => d.id);
        const chunkIds =
          documentIds.length === 0
            ? []
            : (
                await tx
                  .select({ id: chunks.id })
                  .from(chunks)
                  .where(inArray(chunks.documentId, documentIds))
              ).map((c) => c.id);
        // Documents, chunks (with their stored terms), vectors, the blob, jobs and duplicate
        // records all cascade from the file row, inside this transaction.
        await tx.delete(files).where(eq(files.id, fileId));
        return chunkIds;
      });
      deps.onChunksRemoved(project.id, removed);
    },
  };
  return service;
}
