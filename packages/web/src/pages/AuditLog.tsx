import { useInfiniteQuery } from '@tanstack/react-query';
import { useParams } from '@tanstack/react-router';
import { api, unwrap, type Reply } from '../api/client';
import { DataTable, QueryStatus } from '../components/DataTable';
import { formatDate } from '../components/format';

type AuditEvent = Reply<'/api/v1/admin/audit', 'get'>['events'][number];

const PAGE_SIZE = 50;

/** What happened, in words: `member.role` → "changed a member's role". */
const ACTIONS: Record<string, string> = {
  'project.create': 'created the project',
  'project.rename': 'renamed the project',
  'project.delete': 'deleted the project',
  'project.transfer': 'transferred ownership',
  'document.upload': 'uploaded a file',
  'document.delete': 'deleted a document',
  'member.add': 'added a member',
  'member.invite': 'invited someone',
  'member.role': "changed a member's role",
  'member.remove': 'removed a member',
  'member.leave': 'left the project',
  'invitation.accept': 'accepted an invitation',
  'invitation.revoke': 'withdrew an invitation',
  'key.create': 'created an API key',
  'key.revoke': 'revoked an API key',
  'user.signup': 'signed up',
  'user.create': 'created an account',
  'user.delete': 'deleted an account',
  'user.disable': 'disabled an account',
  'user.enable': 'enabled an account',
  'user.locked': 'was locked out after failed log-ins',
  'user.password_change': 'changed a password',
  'user.password_reset': 'reset a password',
  deny: 'was refused',
};

/** The names a person recognises in an event's details (file, address, role, name). */
function describe(event: AuditEvent): string {
  const details = event.details ?? {};
  const said = (key: string) => (typeof details[key] === 'string' ? String(details[key]) : '');
  const parts = [said('name'), said('email')].filter(Boolean);
  if (said('from') && said('to')) parts.push(`${said('from')} → ${said('to')}`);
  else if (said('role')) parts.push(`as ${said('role')}`);
  if (parts.length > 0) return parts.join(' ');
  // An account acting on itself (signing up, changing its password) needs no second name.
  if (!event.target || event.target.id === event.actor.id) return '';
  return `${event.target.type} ${event.target.id.slice(0, 8)}`;
}

/**
 * The audit log, newest first, a page at a time: a project's (for its owners) or the whole
 * instance's (for administrators).
 */
export function AuditLog({ project }: { project?: string }) {
  const log = useInfiniteQuery({
    queryKey: project ? ['projects', project, 'audit'] : ['admin', 'audit'],
    initialPageParam: undefined as number | undefined,
    queryFn: ({ pageParam }) => {
      const query = { limit: PAGE_SIZE, ...(pageParam ? { before: pageParam } : {}) };
      return project
        ? unwrap(
            api.GET('/api/v1/projects/{project}/audit', {
              params: { path: { project }, query },
            }),
          )
        : unwrap(api.GET('/api/v1/admin/audit', { params: { query } }));
    },
    getNextPageParam: (page) => page.nextBefore ?? undefined,
  });
  const events = log.data?.pages.flatMap((page) => page.events) ?? [];

  return (
    <section className="panel" aria-labelledby="audit-heading">
      <h2 id="audit-heading">{project ? 'Activity' : 'Audit log'}</h2>
      <QueryStatus query={log} loading="Loading the log…" />
      {log.data && events.length === 0 && <p className="empty">Nothing has happened yet.</p>}
      {events.length > 0 && (
        <DataTable columns={['When', 'Who', 'What', 'Concerning']}>
          {events.map((event) => (
            <tr key={event.id}>
              <td className="nowrap">{formatDate(event.at)}</td>
              <td>{event.actor.email ?? (event.actor.id ? 'a deleted account' : 'Quarry')}</td>
              <td>{ACTIONS[event.action] ?? event.action}</td>
              <td>{describe(event)}</td>
            </tr>
          ))}
        </DataTable>
      )}
      {log.hasNextPage && (
        <button
          type="button"
          className="button"
          disabled={log.isFetchingNextPage}
          onClick={() => void log.fetchNextPage()}
        >
          {log.isFetchingNextPage ? 'Loading…' : 'Older events'}
        </button>
      )}
    </section>
  );
}

/** A project's activity tab, for its owners. */
export function ActivityTab() {
  const { project } = useParams({ from: '/app/projects/$project/activity' });
  return <AuditLog project={project} />;
}
