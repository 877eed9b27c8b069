import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { errorResponses, paginationQuery, projectParams } from '../http/schemas.js';
import type { DocumentsService } from './documents.service.js';

const documentSummarySchema = z.object({
  id: z.string(),
  fileId: z.string(),
  fileName: z.string(),
  externalId: z.string().nullable(),
  title: z.string(),
  kind: z.string().nullable(),
  pageCount: z.number().int().nullable(),
  createdAt: z.string(),
});

const documentSchema = z.object({
  id: z.string(),
  fileId: z.string(),
  externalId: z.string().nullable(),
  title: z.string(),
  kind: z.string().nullable(),
  pageCount: z.number().int().nullable(),
  pages: z
    .array(z.object({ page: z.number().int(), start: z.number().int(), end: z.number().int() }))
    .nullable()
    .describe('Which part of `text` lies on which page'),
  text: z.string(),
  createdAt: z.string(),
});

const documentParams = projectParams.extend({ documentId: z.string().uuid() });

export function documentsRoutes(documents: DocumentsService): FastifyPluginAsyncZod {
  return async (app) => {
    app.get(
      '/projects/:project/documents',
      {
        schema: {
          tags: ['documents'],
          summary: 'List the documents extracted from the project files',
          params: projectParams,
          querystring: paginationQuery.extend({
            fileId: z.string().uuid().optional().describe('Only the documents of this file'),
          }),
          response: {
            200: z.object({ total: z.number().int(), documents: z.array(documentSummarySchema) }),
            ...errorResponses,
          },
        },
      },
      async (request) => {
        const page = await documents.listDocuments(
          request.caller,
          request.params.project,
          request.query,
        );
        return {
          total: page.total,
          documents: page.documents.map((d) => ({ ...d, createdAt: d.createdAt.toISOString() })),
        };
      },
    );

    app.get(
      '/projects/:project/documents/:documentId',
      {
        schema: {
          tags: ['documents'],
          summary: 'Get a document with its full text and page spans',
          params: documentParams,
          response: { 200: documentSchema, ...errorResponses },
        },
      },
      async (request) => {
        const document = await documents.getDocument(
          request.caller,
          request.params.project,
          request.params.documentId,
        );
        return { ...document, createdAt: document.createdAt.toISOString() };
      },
    );

    app.delete(
      '/projects/:project/documents/:documentId',
      {
        schema: {
          tags: ['documents'],
          summary: 'Delete a document with its chunks, vectors and keyword entries',
          params: documentParams,
          response: { 204: z.null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await documents.deleteDocument(
          request.caller,
          request.params.project,
          request.params.documentId,
        );
        return reply.status(204).send(null);
      },
    );
  };
}
