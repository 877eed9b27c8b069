import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { isExtractionError } from '@quarry/core';
import type { HttpApp } from './app.js';
import { QuarryError, errorCatalogue, isQuarryError, type ErrorCode } from '../errors/catalogue.js';

export interface ErrorBody {
  error: { code: string; message: string; requestId: string; details?: unknown };
}

/** Maps fastify's own client errors onto the catalogue. */
const fastifyCodes: Record<string, ErrorCode> = {
  FST_REQ_FILE_TOO_LARGE: 'payload_too_large',
  FST_ERR_CTP_BODY_TOO_LARGE: 'payload_too_large',
  FST_FILES_LIMIT: 'too_many_files',
  FST_PARTS_LIMIT: 'too_many_files',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'unsupported_media_type',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'validation_failed',
  FST_ERR_CTP_INVALID_JSON_BODY: 'validation_failed',
  FST_ERR_VALIDATION: 'validation_failed',
  FST_CSRF_INVALID_TOKEN: 'csrf_invalid',
  FST_CSRF_MISSING_SECRET: 'csrf_invalid',
  FST_ERR_BAD_URL: 'validation_failed',
  FST_ERR_MAX_PARAM_LENGTH: 'validation_failed',
};

/**
 * PostgreSQL's codes for text it cannot store (a NUL character in a string, a NUL escape in
 * JSON), whichever field it came in: the request's fault, not the server's.
 */
const unstorableTextCodes = new Set(['22021', '22P05']);

/** Whether `error`, or an error it wraps, is PostgreSQL refusing text it cannot store. */
function isUnstorableText(error: unknown): boolean {
  for (let cause = error; cause instanceof Error; cause = cause.cause) {
    const code = (cause as { code?: unknown }).code;
    if (typeof code === 'string' && unstorableTextCodes.has(code)) return true;
  }
  return false;
}

function toQuarryError(error: unknown): QuarryError | undefined {
  if (isQuarryError(error)) return error;
  if (isExtractionError(error)) return new QuarryError('validation_failed', error.message);
  const fastifyError = error as FastifyError;
  if (hasZodFastifySchemaValidationErrors(fastifyError)) {
    const problems = fastifyError.validation.map((v) => ({
      field: `${fastifyError.validationContext ?? ''}${v.instancePath}`,
      message: v.message,
    }));
    const summary = problems.map((p) => `${p.field || 'request'}: ${p.message}`).join('; ');
    return new QuarryError('validation_failed', `The request is not valid: ${summary}`, {
      problems,
    });
  }
  if (isUnstorableText(error)) {
    return new QuarryError(
      'validation_failed',
      'The request contains text that cannot be stored, such as a NUL character; remove it.',
    );
  }
  const mapped = fastifyError.code ? fastifyCodes[fastifyError.code] : undefined;
  // The catalogue's words for CSRF failures say how to fix them; the plugin's do not.
  if (mapped === 'csrf_invalid') return new QuarryError(mapped);
  if (mapped)
    return new QuarryError(mapped, fastifyError.message || errorCatalogue[mapped].message);
  if (fastifyError.statusCode && fastifyError.statusCode >= 400 && fastifyError.statusCode < 500) {
    return new QuarryError('validation_failed', fastifyError.message);
  }
  return undefined;
}

/**
 * The one place errors become HTTP responses. Raw database messages never leave. Also given
 * to Fastify as `frameworkErrors`, for URLs its router refuses before any route runs.
 */
export function sendError(error: unknown, request: FastifyRequest, reply: FastifyReply) {
  const known = toQuarryError(error);
  if (known) {
    request.log.info({ code: known.code, status: known.status }, known.message);
    const body = errorBody(request, known.code, known.message);
    if (known.details) body.error.details = known.details;
    return reply.status(known.status).send(body);
  }
  request.log.error({ err: error }, 'request failed');
  return reply.status(500).send(errorBody(request, 'internal'));
}

function errorBody(request: FastifyRequest, code: ErrorCode, message?: string): ErrorBody {
  return {
    error: {
      code,
      message: message ?? errorCatalogue[code].message,
      requestId: String(request.id),
    },
  };
}

export function installErrorHandler(app: HttpApp): void {
  app.setErrorHandler(sendError);
  app.setNotFoundHandler((request, reply) =>
    reply.status(404).send(errorBody(request, 'route_not_found')),
  );
}
