/**
 * Who is asking. Every service function takes a caller, so permission checks live in the
 * service layer and travel into every retrieval query.
 */
export interface Caller {
  /** Stable id of the account or key owner. */
  id: string;
  kind: 'local-admin' | 'user' | 'api-key';
  /** What the caller may do; a local administrator may do everything on this instance. */
  scopes: ReadonlySet<'read' | 'write' | 'admin'>;
}

/** The caller the embedded instance and its CLI act as: the local administrator. */
export const LOCAL_ADMIN: Caller = {
  id: 'local-admin',
  kind: 'local-admin',
  scopes: new Set(['read', 'write', 'admin']),
};
