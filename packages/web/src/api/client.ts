import createClient, { type Middleware } from 'openapi-fetch';
import type { paths } from './schema';

type Method = 'get' | 'post' | 'patch' | 'delete';

/** The JSON body the server answers `method path` with, for status `status`. */
export type Reply<
  P extends keyof paths,
  M extends Method,
  S extends number = 200,
> = paths[P][M] extends { responses: { [K in S]: { content: { 'application/json': infer T } } } }
  ? T
  : never;

/** An error the server answered with, in its catalogue's words. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly requestId?: string,
  ) {
    super(message);
  }
}

interface ErrorBody {
  error?: { code?: string; message?: string; requestId?: string };
}

export function toApiError(status: number, body: unknown): ApiError {
  const error = (body as ErrorBody | undefined)?.error;
  if (error?.code && error.message) {
    return new ApiError(status, error.code, error.message, error.requestId);
  }
  return new ApiError(status, 'unexpected', `The server answered ${status}. Try again.`);
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

let csrfToken: Promise<string> | undefined;

/** The token sent with every change made under the session cookie (see the server's CSRF). */
export function csrf(): Promise<string> {
  csrfToken ??= fetch('/api/v1/auth/csrf', { credentials: 'same-origin' })
    .then(async (response) => {
      if (!response.ok) throw toApiError(response.status, await response.json().catch(() => null));
      return ((await response.json()) as { token: string }).token;
    })
    .catch((error: unknown) => {
      csrfToken = undefined;
      throw error;
    });
  return csrfToken;
}

/** Forgets the CSRF token, after signing in or out. */
export function resetCsrf() {
  csrfToken = undefined;
}

const csrfHeader: Middleware = {
  async onRequest({ request }) {
    if (!SAFE_METHODS.has(request.method)) request.headers.set('x-csrf-token', await csrf());
    return request;
  },
};

/** The typed client: paths, bodies and answers come from the server's OpenAPI document. */
export const api = createClient<paths>({
  baseUrl: typeof window === 'undefined' ? '' : window.location.origin,
  credentials: 'same-origin',
});
api.use(csrfHeader);

/** The data of a successful answer, or the server's error as an `ApiError`. */
export async function unwrap<T>(
  call: Promise<{ data?: T; error?: unknown; response: Response }>,
): Promise<T> {
  let result: { data?: T; error?: unknown; response: Response };
  try {
    result = await call;
  } catch {
    throw new ApiError(0, 'network', 'Quarry could not be reached. Check your connection.');
  }
  if (!result.response.ok) throw toApiError(result.response.status, result.error);
  return result.data as T;
}

/** Words for any error, for showing to a person. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.message;
  if (error instanceof Error) return error.message;
  return 'Something went wrong. Try again.';
}
