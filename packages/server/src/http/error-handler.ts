import type { FastifyError } from 'fastify';
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
};

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

/** The one place errors become HTTP responses. Raw database messages never leave. */
export function installErrorHandler(app: HttpApp): void {
  app.setErrorHandler((error, request, reply) => {
    const known = toQuarryError(error);
    if (known) {
      request.log.info({ code: known.code, status: known.status }, known.message);
      const body: ErrorBody = {
        error: { code: known.code, message: known.message, requestId: String(request.id) },
      };
      if (known.details) body.error.details = known.details;
      return reply.status(known.status).send(body);
    }
    request.log.error({ err: error }, 'request failed');
    const body: ErrorBody = {
      error: {
        code: 'internal',
        message: errorCatalogue.internal.message,
        requestId: String(request.id),
      },
    };
    return reply.status(500).send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const body: ErrorBody = {
      error: {
        code: 'route_not_found',
        message: errorCatalogue.route_not_found.message,
        requestId: String(request.id),
      },
    };
    return reply.status(404).send(body);
  });
}
