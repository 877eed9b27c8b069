import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { collectAnswer } from '@quarry/core';
import { errorResponses, projectParams } from '../http/schemas.js';
import { searchModeSchema } from '../search/search.schemas.js';
import type { AnswersService } from './answers.service.js';

const citationSchema = z.object({
  n: z.number().int().describe('The number used as [n] in the answer'),
  chunkId: z.number().int(),
  documentId: z.string(),
  documentTitle: z.string(),
  page: z.number().int().optional(),
  start: z.number().int().describe('Offset of the quoted text in the document'),
  end: z.number().int(),
  quote: z.string(),
});

const answerSchema = z.object({
  answer: z.string(),
  citations: z.array(citationSchema),
  generator: z.string(),
  grounded: z.boolean().describe('False when no relevant passage was found'),
});

export function answersRoutes(answers: AnswersService): FastifyPluginAsyncZod {
  return async (app) => {
    app.post(
      '/projects/:project/ask',
      {
        schema: {
          tags: ['answers'],
          summary: 'Answer a question with citations; send Accept: text/event-stream to stream it',
          description:
            'With `Accept: text/event-stream` the answer arrives as server-sent events: ' +
            '`token` ({text}), `citation` ({citation}) and a final `done` with the whole answer.',
          params: projectParams,
          body: z.object({
            question: z.string().trim().min(1).max(2_000),
            mode: searchModeSchema.default('hybrid'),
          }),
          response: { 200: answerSchema, ...errorResponses },
        },
      },
      async (request, reply) => {
        const events = answers.ask(request.caller, request.params.project, request.body);
        if (!String(request.headers.accept ?? '').includes('text/event-stream')) {
          return collectAnswer(events);
        }
        // Resolve the first event before committing to a stream, so a missing project or a
        // permission error still arrives as an ordinary JSON error response.
        const iterator = events[Symbol.asyncIterator]();
        let next = await iterator.next();
        reply.raw.writeHead(200, {
          'content-type': 'text/event-stream',
          'cache-control': 'no-cache',
          connection: 'keep-alive',
          'x-request-id': String(request.id),
        });
        try {
          while (!next.done) {
            const { type, ...data } = next.value;
            reply.raw.write(`event: ${type}\ndata: ${JSON.stringify(data)}\n\n`);
            next = await iterator.next();
          }
        } catch (error) {
          request.log.error({ err: error }, 'answer stream failed');
          reply.raw.write(
            `event: error\ndata: ${JSON.stringify({ message: 'The answer failed.' })}\n\n`,
          );
        }
        reply.raw.end();
        return reply.hijack();
      },
    );
  };
}
