import { create as contentDisposition } from 'content-disposition';
import type { FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { jobs } from '@quarry/store';
import { memberOf } from '../access/access.js';
import { isQuarryError, QuarryError } from '../errors/catalogue.js';
import { errorResponses, paginationQuery, projectParams } from '../http/schemas.js';
import type { DocumentsService, FileSummary } from '../documents/documents.service.js';
import type { ProjectsService } from '../projects/projects.service.js';
import type { JobQueue } from '../jobs/job-queue.js';
import type { FileEvents } from './file-events.js';
import type { IngestService, UploadedFile } from './ingest.service.js';

export const fileSchema = z.object({
  id: z.string(),
  name: z.string(),
  kind: z.string().nullable(),
  mediaType: z.string().nullable(),
  sizeBytes: z.number().int(),
  state: z.string().describe('queued, extracting, embedding, indexed, duplicate or failed'),
  errorCode: z
    .string()
    .nullable()
    .describe('empty, encrypted, corrupt, no_text, unsupported, too_large'),
  errorMessage: z.string().nullable(),
  duplicateOf: z.string().nullable(),
  pageCount: z.number().int().nullable(),
  notice: z
    .string()
    .nullable()
    .describe('For an indexed file, what to know: records of a JSON Lines file left out'),
  documentCount: z.number().int(),
  chunkCount: z.number().int(),
  uploadedBy: z.string().nullable(),
  uploadedByEmail: z.string().nullable(),
  firstDocumentId: z.string().nullable().describe('The first document extracted from it'),
  createdAt: z.string(),
  updatedAt: z.string(),
});

export function toFileDto(file: FileSummary): z.infer<typeof fileSchema> {
  return {
    ...file,
    createdAt: file.createdAt.toISOString(),
    updatedAt: file.updatedAt.toISOString(),
  };
}

const uploadResultSchema = z.object({
  fileId: z.string(),
  name: z.string(),
  state: z.string(),
  duplicateOf: z.string().optional(),
  errorCode: z.string().optional(),
  errorMessage: z.string().optional(),
});

const fileParams = projectParams.extend({ fileId: z.string().uuid() });

/**
 * The file parts of a multipart body. Oversized files are cut at the limit (not thrown),
 * so one large file is recorded as too large instead of failing the whole upload. A body
 * the multipart parser cannot read (no boundary, cut short) is the client's error; nothing
 * of it has been stored yet.
 */
async function readUploads(request: FastifyRequest): Promise<UploadedFile[]> {
  const uploads: UploadedFile[] = [];
  try {
    for await (const part of request.files()) {
      const bytes = await part.toBuffer();
      uploads.push({ name: part.filename || 'unnamed', bytes, truncated: part.file.truncated });
    }
  } catch (error) {
    // Fastify's own errors (too many files, too large) carry a code and are mapped as such.
    if ((error as { code?: unknown }).code !== undefined || isQuarryError(error)) throw error;
    throw new QuarryError(
      'validation_failed',
      `The multipart body could not be read (${(error as Error).message}). Send ` +
        'multipart/form-data with the boundary its Content-Type names and every part whole.',
    );
  }
  return uploads;
}

export function filesRoutes(deps: {
  ingest: IngestService;
  documents: DocumentsService;
  projects: ProjectsService;
  events: FileEvents;
  queue: JobQueue;
  maxFileBytes: number;
}): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/projects/:project/files',
      {
        schema: {
          tags: ['files'],
          summary: 'Upload files (multipart/form-data, any number of "file" parts)',
          consumes: ['multipart/form-data'],
          params: projectParams,
          response: {
            202: z.object({ files: z.array(uploadResultSchema) }),
            413: errorResponses[400],
            415: errorResponses[400],
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        if (!request.isMultipart()) throw new QuarryError('unsupported_media_type');
        // Check the project before reading bodies, so a wrong name fails fast.
        await deps.projects.get(request.caller, request.params.project, 'edit');
        const uploads = await readUploads(request);
        if (uploads.length === 0) {
          throw new QuarryError('validation_failed', 'The upload has no "file" part.');
        }
        const results = await deps.ingest.upload(request.caller, request.params.project, uploads);
        return reply.status(202).send({ files: results });
      },
    );

    app.get(
      '/projects/:project/files',
      {
        schema: {
          tags: ['files'],
          summary: 'List uploaded files with their processing state',
          params: projectParams,
          querystring: paginationQuery.extend({ state: z.string().optional() }),
          response: {
            200: z.object({ total: z.number().int(), files: z.array(fileSchema) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const page = await deps.documents.listFiles(
          request.caller,
          request.params.project,
          request.query,
        );
        return { total: page.total, files: page.files.map(toFileDto) };
      },
    );

    app.get(
      '/projects/:project/files/:fileId',
      {
        schema: {
          tags: ['files'],
          summary: 'Get one file and its state',
          params: fileParams,
          response: { 200: fileSchema, ...errorResponses },
        },
      },
      async (request) =>
        toFileDto(
          await deps.documents.getFile(
            request.caller,
            request.params.project,
            request.params.fileId,
          ),
        ),
    );

    app.get(
      '/projects/:project/files/:fileId/original',
      {
        schema: {
          tags: ['files'],
          summary: 'Download the file as it was uploaded',
          params: fileParams,
          produces: ['application/octet-stream'],
          response: { 200: z.any().describe('The original bytes'), ...errorResponses },
        },
      },
      async (request, reply) => {
        const original = await deps.documents.readOriginal(
          request.caller,
          request.params.project,
          request.params.fileId,
        );
        // Served as an attachment with sniffing off, so an uploaded HTML file never runs as a
        // page of this origin.
        return reply
          .header('content-type', original.mediaType ?? 'application/octet-stream')
          .header('content-disposition', contentDisposition(original.name))
          .header('x-content-type-options', 'nosniff')
          .send(Buffer.from(original.bytes));
      },
    );

    app.delete(
      '/projects/:project/files/:fileId',
      {
        schema: {
          tags: ['files'],
          summary: 'Delete a file with its documents, chunks, vectors and keyword entries',
          params: fileParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await deps.documents.deleteFile(
          request.caller,
          request.params.project,
          request.params.fileId,
        );
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/projects/:project/jobs',
      {
        schema: {
          tags: ['files'],
          summary: 'How many processing jobs are still pending in this project',
          params: projectParams,
          response: { 200: z.object({ pending: z.number().int() }), ...errorResponses },
        },
      },
      async (request) => {
        const project = await deps.projects.get(request.caller, request.params.project);
        return {
          pending: await deps.queue.pendingCount(
            project.id,
            memberOf(request.caller, jobs.projectId),
          ),
        };
      },
    );

    app.get(
      '/projects/:project/events',
      {
        schema: {
          tags: ['files'],
          summary: 'Server-sent events: file state changes in this project',
          params: projectParams,
        },
      },
      async (request, reply) => {
        const project = await deps.projects.get(request.caller, request.params.project);
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          'x-request-id': String(request.id),
        });
        reply.raw.write(': connected\n\n');
        // Access is checked again before every event, so a removed member stops hearing at once.
        const unsubscribe = deps.events.subscribe(project.id, (event) => {
          deps.projects.get(request.caller, project.id).then(
            () => reply.raw.write(`event: file\ndata: ${JSON.stringify(event)}\n\n`),
            () => reply.raw.end(),
          );
        });
        // Proxies close idle streams; a comment line every 15 s keeps it open.
        const heartbeat = setInterval(() => reply.raw.write(': ping\n\n'), 15_000);
        request.raw.on('close', () => {
          clearInterval(heartbeat);
          unsubscribe();
        });
        return reply.hijack();
      },
    );
  };
}
