/**
 * Every error Quarry reports to a client, with a stable code, an HTTP status and a message
 * the user can act on. Translation to HTTP happens in one place (`http/error-handler.ts`).
 */
export const errorCatalogue = {
  validation_failed: { status: 400, message: 'The request is not valid.' },
  invalid_query: { status: 400, message: 'The search query is not valid.' },
  unauthenticated: { status: 401, message: 'Sign in or send an API key to use this endpoint.' },
  forbidden: { status: 403, message: 'You do not have permission to do that.' },
  insufficient_scope: {
    status: 403,
    message: 'This API key does not have the scope this request needs.',
  },
  csrf_invalid: {
    status: 403,
    message: 'The request lacks a valid x-csrf-token header. Fetch one from /api/v1/auth/csrf.',
  },
  invalid_credentials: { status: 401, message: 'The e-mail address or password is wrong.' },
  account_locked: {
    status: 423,
    message: 'Too many failed log-ins: this account is locked for a while. Try again later.',
  },
  account_disabled: {
    status: 403,
    message: 'This account is disabled. Ask an administrator of this Quarry to enable it.',
  },
  signup_disabled: {
    status: 403,
    message: 'Sign-up is turned off on this Quarry. Ask an administrator for an account.',
  },
  email_taken: { status: 409, message: 'An account with that e-mail address already exists.' },
  weak_password: { status: 400, message: 'The new password is too short.' },
  wrong_password: { status: 400, message: 'The current password is wrong.' },
  same_password: {
    status: 400,
    message: 'The new password must differ from the current one.',
  },
  invalid_token: {
    status: 400,
    message: 'This link is invalid, expired or already used. Ask for a new one.',
  },
  rate_limited: { status: 429, message: 'Too many requests. Wait a minute and try again.' },
  user_not_found: { status: 404, message: 'No user with that id exists.' },
  key_not_found: { status: 404, message: 'No API key with that id exists.' },
  member_not_found: { status: 404, message: 'That person is not a member of this project.' },
  invitation_not_found: { status: 404, message: 'No pending invitation with that id exists.' },
  already_member: { status: 409, message: 'That person is already a member of this project.' },
  owner_required: {
    status: 409,
    message: 'A project always keeps an owner: transfer ownership to another member first.',
  },
  cannot_delete_self: {
    status: 409,
    message: 'Administrators cannot delete or disable their own account here.',
  },
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
