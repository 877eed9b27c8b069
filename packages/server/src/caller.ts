import { LOCAL_ADMIN_USER_ID, type ApiKeyScope } from '@quarry/store';

export type Scope = ApiKeyScope;

/**
 * Who is asking. Every service function takes a caller, so permission checks live in the
 * service layer and travel into every retrieval query. Cookies, API keys and the local
 * token all resolve to one of these, and nothing downstream knows which it was.
 */
export interface Caller {
  kind: 'anonymous' | 'local-admin' | 'user' | 'api-key';
  /** The account acting; null only for anonymous callers. */
  userId: string | null;
  email: string | null;
  /** An administrator of the instance (users, system health, every audit event). */
  isAdmin: boolean;
  /** What the credential allows: a session allows everything its user may do. */
  scopes: ReadonlySet<Scope>;
  /** The API key used, when one was. */
  keyId?: string;
  /** The browser session used, when one was. */
  sessionId?: string;
}

const ALL_SCOPES: ReadonlySet<Scope> = new Set(['read', 'write', 'admin']);

/**
 * The caller the embedded instance and its CLI act as: the machine's operator, who can
 * open the data directory anyway. It sees every project on the instance.
 */
export const LOCAL_ADMIN: Caller = {
  kind: 'local-admin',
  userId: LOCAL_ADMIN_USER_ID,
  email: null,
  isAdmin: true,
  scopes: ALL_SCOPES,
};

export const ANONYMOUS: Caller = {
  kind: 'anonymous',
  userId: null,
  email: null,
  isAdmin: false,
  scopes: new Set(),
};

export function userCaller(user: { id: string; email: string; isAdmin: boolean }): Caller {
  return {
    kind: 'user',
    userId: user.id,
    email: user.email,
    isAdmin: user.isAdmin,
    scopes: ALL_SCOPES,
  };
}
