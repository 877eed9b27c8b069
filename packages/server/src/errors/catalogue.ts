/**
 * Every error Quarry reports to a client, with a stable code, an HTTP status and a message
 * the user can act on. Translation to HTTP happens in one place (`http/error-handler.ts`).
 */
export const errorCatalogue = {
  validation_failed: { status: 400, message: 'The request is not valid.' },
  invalid_query: { status: 400, message: 'The search query is not valid.' },
  unauthenticated: { status: 401, message: 'Sign in or send an API key to use this endpoint.' },
  forbidden: { status: 403, message: 'You do not have permission to do that.' },
  project_not_found: { status: 404, message: 'No project with that id or name exists.' },
  document_not_found: { status: 404, message: 'No document with that id exists in this project.' },
  file_not_found: { status: 404, message: 'No file with that id exists in this project.' },
  job_not_found: { status: 404, message: 'No job with that id exists.' },
  route_not_found: { status: 404, message: 'No such endpoint. See /docs for the API.' },
  project_exists: { status: 409, message: 'A project with that name already exists.' },
  payload_too_large: { status: 413, message: 'The upload is larger than the server accepts.' },
  unsupported_media_type: {
    status: 415,
    message: 'Send files as multipart/form-data with one or more "file" parts.',
  },
  too_many_files: { status: 413, message: 'Too many files in one upload.' },
  embedding_dimension_mismatch: {
    status: 409,
    message: 'The vector dimension does not match the embedding model of this project.',
  },
  semantic_unavailable: {
    status: 409,
    message:
      'Semantic search starts once this project has enough text to learn meaning from ' +
      '(about 50 passages). Use keyword or hybrid mode until then.',
  },
  not_ready: { status: 503, message: 'Quarry is starting or its database is unreachable.' },
  internal: { status: 500, message: 'Something went wrong on our side. It has been logged.' },
} as const satisfies Record<string, { status: number; message: string }>;

export type ErrorCode = keyof typeof errorCatalogue;

/** An error with a catalogue code; the only kind of error sent to clients as-is. */
export class QuarryError extends Error {
  readonly status: number;

  constructor(
    readonly code: ErrorCode,
    message?: string,
    readonly details?: Record<string, unknown>,
  ) {
    super(message ?? errorCatalogue[code].message);
    this.status = errorCatalogue[code].status;
  }
}

export function isQuarryError(error: unknown): error is QuarryError {
  return error instanceof QuarryError;
}
