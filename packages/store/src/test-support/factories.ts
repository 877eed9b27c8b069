import { createHash, randomUUID } from 'node:crypto';
import { insertChunksWithEmbeddings, type ChunkInput } from '../bulk-insert.js';
import {
  documents,
  files,
  projects,
  type DocumentRow,
  type FileRow,
  type NewDocumentRow,
  type NewFileRow,
  type NewProjectRow,
  type ProjectRow,
} from '../schema.js';
import type { Database } from '../store-types.js';

export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/** A project with a unique slug unless one is given. */
export async function createProject(
  db: Database,
  overrides: Partial<NewProjectRow> = {},
): Promise<ProjectRow> {
  const slug = overrides.slug ?? `project-${randomUUID().slice(0, 8)}`;
  const [row] = await db
    .insert(projects)
    .values({ slug, name: `Project ${slug}`, ...overrides })
    .returning();
  return row as ProjectRow;
}

/** A file in `projectId` with content unique to this call unless a hash is given. */
export async function createFile(
  db: Database,
  projectId: string,
  overrides: Partial<NewFileRow> = {},
): Promise<FileRow> {
  const [row] = await db
    .insert(files)
    .values({
      projectId,
      name: 'notes.txt',
      mediaType: 'text/plain',
      kind: 'text',
      sizeBytes: 42,
      contentHash: sha256Hex(randomUUID()),
      state: 'queued',
      ...overrides,
    })
    .returning();
  return row as FileRow;
}

/** A document of `fileId`, with a short text unless one is given. */
export async function createDocument(
  db: Database,
  file: Pick<FileRow, 'id' | 'projectId'>,
  overrides: Partial<NewDocumentRow> = {},
): Promise<DocumentRow> {
  const [row] = await db
    .insert(documents)
    .values({
      projectId: file.projectId,
      fileId: file.id,
      title: 'Field notes',
      text: 'Granite splits along its grain. Limestone dissolves in rain.',
      kind: 'text',
      ...overrides,
    })
    .returning();
  return row as DocumentRow;
}

/**
 * `count` chunks of a document, each with `terms` terms and, when `dimension` is given, a
 * random embedding from `modelId`. Returns the chunk ids in ordinal order.
 */
export async function createChunks(
  db: Database,
  document: Pick<DocumentRow, 'id' | 'projectId'>,
  options: { count: number; dimension?: number; modelId?: string; terms?: number },
): Promise<number[]> {
  const termsPerChunk = options.terms ?? 8;
  const inputs: ChunkInput[] = Array.from({ length: options.count }, (_, ordinal) => ({
    documentId: document.id,
    ordinal,
    text: `chunk ${ordinal}`,
    startOffset: ordinal * 100,
    endOffset: ordinal * 100 + 99,
    terms: Array.from({ length: termsPerChunk }, (_, t) => `term${(ordinal * 7 + t) % 997}`),
    ...(options.dimension === undefined ? {} : { embedding: randomVector(options.dimension) }),
  }));
  return insertChunksWithEmbeddings(db, {
    projectId: document.projectId,
    modelId: options.modelId ?? 'test-model',
    chunks: inputs,
  });
}

/** A random unit vector. */
export function randomVector(dimension: number): Float32Array {
  const values = Float32Array.from({ length: dimension }, () => Math.random() * 2 - 1);
  const norm = Math.hypot(...values) || 1;
  return values.map((value) => value / norm);
}
