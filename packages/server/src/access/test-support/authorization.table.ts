import { ACTORS, type Actor } from './authorization.world.js';

/**
 * The status every caller gets from every endpoint, one row per endpoint and one column per
 * caller, in the order of ACTORS. `…` stands for /projects/{project}: the owner's shared
 * project, or a fresh one of the owner's with the same members when the request changes it.
 * Paths are below /api/v1 but for the health checks.
 *
 * Columns: ano = anonymous; out = signed in, not a member; vie, edi, own = the project's
 * viewer, editor and owner; adm = an administrator who is not a member; rk, wk, ak = the
 * owner's API keys with only the read, the write or the admin scope; aak = the
 * administrator's admin-scope key; rev = a revoked key; dis, dik = the session and the key of
 * a member whose account was disabled.
 *
 * Scopes first, then membership: a key without the scope an operation needs gets 403 even on
 * a project that is not its owner's, and a project the caller is not a member of does not
 * exist for it (404), administrators included.
 */
const TABLE = [
  // ano out vie edi own adm rk  wk  ak  aak rev dis dik  endpoint
  '401 200 200 200 200 200 200 403 403 403 401 401 401  GET /projects',
  '401 201 201 201 201 201 403 201 403 403 401 401 401  POST /projects',
  '401 404 200 200 200 404 200 403 403 403 401 401 401  GET …',
  '401 404 403 403 200 404 403 200 403 403 401 401 401  PATCH …',
  '401 404 403 403 204 404 403 204 403 403 401 401 401  DELETE …',
  '401 404 403 202 202 404 403 202 403 403 401 401 401  POST …/files',
  '401 404 200 200 200 404 200 403 403 403 401 401 401  GET …/files',
  '401 404 200 200 200 404 200 403 403 403 401 401 401  GET …/files/{fileId}',
  '401 404 200 200 200 404 200 403 403 403 401 401 401  GET …/files/{fileId}/original',
  '401 404 403 204 204 404 403 204 403 403 401 401 401  DELETE …/files/{fileId}',
  '401 404 200 200 200 404 200 403 403 403 401 401 401  GET …/jobs',
  '401 404 200 200 200 404 200 403 403 403 401 401 401  GET …/events',
  '401 404 200 200 200 404 200 403 403 403 401 401 401  GET …/documents',
  '401 404 200 200 200 404 200 403 403 403 401 401 401  GET …/documents/{documentId}',
  '401 404 403 204 204 404 403 204 403 403 401 401 401  DELETE …/documents/{documentId}',
  '401 404 200 200 200 404 200 403 403 403 401 401 401  POST …/search',
  '401 404 200 200 200 404 200 403 403 403 401 401 401  POST …/ask',
  '401 404 200 200 200 404 200 403 403 403 401 401 401  POST …/ask, streamed',
  '401 404 200 200 200 404 200 403 403 403 401 401 401  GET …/members',
  '401 404 403 403 202 404 403 202 403 403 401 401 401  POST …/members',
  '401 404 403 403 204 404 403 204 403 403 401 401 401  PATCH …/members/{userId}',
  '401 404 403 403 204 404 403 204 403 403 401 401 401  DELETE …/members/{userId}',
  '401 404 204 204 409 404 403 409 403 403 401 401 401  POST …/leave',
  '401 404 403 403 204 404 403 204 403 403 401 401 401  POST …/transfer',
  '401 404 403 403 204 404 403 204 403 403 401 401 401  DELETE …/invitations/{invitationId}',
  '401 200 200 200 200 200 403 403 403 403 401 401 401  POST /invitations/accept',
  '401 404 403 403 200 404 200 403 403 403 401 401 401  GET …/audit',
  '401 403 403 403 403 200 403 403 403 200 401 401 401  GET /admin/audit',
  '201 201 201 201 201 201 201 201 201 201 401 201 401  POST /auth/signup',
  '200 200 200 200 200 200 200 200 200 200 401 200 401  POST /auth/login',
  '204 204 204 204 204 204 204 204 204 204 401 204 401  POST /auth/logout',
  '200 200 200 200 200 200 200 200 200 200 401 200 401  GET /auth/csrf',
  '401 200 200 200 200 200 200 200 200 200 401 401 401  GET /auth/me',
  '401 200 200 200 200 200 403 200 403 403 401 401 401  PATCH /auth/me',
  '401 204 204 204 204 204 403 403 403 403 401 401 401  DELETE /auth/me',
  '401 204 204 204 204 204 403 403 403 403 401 401 401  POST /auth/password',
  '202 202 202 202 202 202 202 202 202 202 401 202 401  POST /auth/password-reset',
  '204 204 204 204 204 204 204 204 204 204 401 204 401  POST /auth/password-reset/confirm',
  '401 200 200 200 200 200 403 403 200 200 401 401 401  GET /keys',
  '401 201 201 201 201 201 403 403 201 201 401 401 401  POST /keys',
  '401 404 404 404 204 404 403 403 204 404 401 401 401  DELETE /keys/{keyId}',
  '401 403 403 403 403 200 403 403 403 200 401 401 401  GET /admin/users',
  '401 403 403 403 403 201 403 403 403 201 401 401 401  POST /admin/users',
  '401 403 403 403 403 200 403 403 403 200 401 401 401  PATCH /admin/users/{userId}',
  '401 403 403 403 403 204 403 403 403 204 401 401 401  DELETE /admin/users/{userId}',
  '401 403 403 403 403 200 403 403 403 200 401 401 401  GET /admin/system',
  '200 200 200 200 200 200 200 200 200 200 401 200 401  GET /healthz',
  '200 200 200 200 200 200 200 200 200 200 401 200 401  GET /readyz',
];

export interface TableRow {
  /** `METHOD path` as written in the table. */
  endpoint: string;
  statuses: Record<Actor, number>;
}

function parseRow(line: string): TableRow {
  const cells = line.split(/\s+/);
  const statuses = Object.fromEntries(ACTORS.map((actor, i) => [actor, Number(cells[i])]));
  return {
    endpoint: cells.slice(ACTORS.length).join(' '),
    statuses: statuses as Record<Actor, number>,
  };
}

export const AUTHORIZATION_TABLE: readonly TableRow[] = TABLE.map(parseRow);

/** Statuses in the table's column order, to compare a whole row at once. */
export const rowText = (statuses: Record<Actor, number>) =>
  ACTORS.map((actor) => statuses[actor]).join(' ');

/** The route of a table endpoint as the OpenAPI document names it: `GET /api/v1/projects/…`. */
export function openApiRoute(endpoint: string): string {
  const [method, path] = endpoint.replace(/, streamed$/, '').split(' ') as [string, string];
  const full = path.replace('…', '/projects/{project}');
  return `${method} ${/^\/(healthz|readyz)$/.test(full) ? full : `/api/v1${full}`}`;
}
