import { randomUUID } from 'node:crypto';
import Fastify, {
  type FastifyBaseLogger,
  type FastifyInstance,
  type RawServerDefault,
} from 'fastify';
import type { IncomingMessage, ServerResponse } from 'node:http';
import fastifyMultipart from '@fastify/multipart';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import {
  jsonSchemaTransform,
  serializerCompiler,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Logger } from 'pino';
import { ANONYMOUS, type Caller } from '../caller.js';
import { installErrorHandler, sendError } from './error-handler.js';

declare module 'fastify' {
  interface FastifyRequest {
    caller: Caller;
  }
}

export const API_PREFIX = '/api/v1';

export type HttpApp = FastifyInstance<
  RawServerDefault,
  IncomingMessage,
  ServerResponse,
  FastifyBaseLogger,
  ZodTypeProvider
>;

export interface HttpAppOptions {
  logger: Logger;
  maxFileBytes: number;
  maxFilesPerUpload: number;
  version: string;
}

/**
 * The bare HTTP application: validation, errors, request ids, OpenAPI. Feature routes are
 * registered by the composition root, so services can run together or apart.
 */
export async function createHttpApp(options: HttpAppOptions): Promise<HttpApp> {
  const app = Fastify({
    loggerInstance: options.logger as FastifyBaseLogger,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w.-]{1,64}$/.test(given) ? given : randomUUID();
    },
    // JSON bodies are small (queries, names); files go through multipart with their own limit.
    bodyLimit: 1024 * 1024,
    // Longer than any parameter's schema allows, so that the schema says what is wrong.
    routerOptions: { maxParamLength: 1_000 },
    // A body with a "__proto__" key is still JSON: the key is dropped, never applied.
    onProtoPoisoning: 'remove',
    onConstructorPoisoning: 'remove',
    frameworkErrors: sendError,
  }).withTypeProvider<ZodTypeProvider>();

  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  installErrorHandler(app);

  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
    // Nobody until a credential says otherwise (see `installAuthentication`).
    request.caller = ANONYMOUS;
  });

  await app.register(fastifyMultipart, {
    throwFileSizeLimit: false,
    limits: {
      fileSize: options.maxFileBytes,
      files: options.maxFilesPerUpload,
      fields: 20,
      parts: options.maxFilesPerUpload + 20,
    },
  });

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Quarry API',
        description: 'Upload documents into projects, search them by words and meaning, ask.',
        version: options.version,
      },
    },
    transform: jsonSchemaTransform,
  });
  // The docs page sends its own content security policy, fitted to its scripts.
  await app.register(fastifySwaggerUi, { routePrefix: '/docs', staticCSP: true });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  return app;
}
