import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api, errorMessage, unwrap } from '../api/client';
import { meQuery, usersQuery } from '../api/queries';
import { ConfirmButton, ROW_ACTION } from '../components/ConfirmDialog';
import { DataTable, QueryStatus } from '../components/DataTable';
import { CredentialFields, FormMessage, SubmitButton, useCredentials } from '../components/forms';
import { formatBytes, formatDate } from '../components/format';
import { AuditLog } from './AuditLog';

export function AdminPage() {
  const me = useQuery(meQuery).data;
  if (!me?.isAdmin) {
    return (
      <div className="page narrow" role="alert">
        <h1>Administration</h1>
        <p>Only administrators may see this page.</p>
      </div>
    );
  }
  return (
    <div className="page">
      <h1>Administration</h1>
      <SystemHealth />
      <CreateUser />
      <Users selfId={me.id} />
      <AuditLog />
    </div>
  );
}

function SystemHealth() {
  const system = useQuery({
    queryKey: ['admin', 'system'],
    queryFn: () => unwrap(api.GET('/api/v1/admin/system')),
    refetchInterval: 10_000,
  });
  const data = system.data;
  return (
    <section className="panel" aria-labelledby="health-heading">
      <h2 id="health-heading">System health</h2>
      {system.error && <FormMessage error={errorMessage(system.error)} />}
      {data && (
        <dl className="stats">
          <div>
            <dt>Status</dt>
            <dd>
              <span
                className={`badge ${data.status === 'ready' ? 'state-indexed' : 'state-queued'}`}
              >
                {data.status}
              </span>
            </dd>
          </div>
          <div>
            <dt>Version</dt>
            <dd>{data.version}</dd>
          </div>
          <div>
            <dt>Store</dt>
            <dd>{data.store === 'embedded' ? 'embedded (PGlite)' : 'PostgreSQL'}</dd>
          </div>
          <div>
            <dt>Jobs via</dt>
            <dd>{data.broker ? 'message broker' : 'database'}</dd>
          </div>
          <div>
            <dt>Up for</dt>
            <dd>{Math.floor(data.uptimeSeconds / 60)} min</dd>
          </div>
          <div>
            <dt>Memory</dt>
            <dd>{formatBytes(data.memoryRssBytes)}</dd>
          </div>
          <div>
            <dt>Accounts</dt>
            <dd>{data.counts.users}</dd>
          </div>
          <div>
            <dt>Projects</dt>
            <dd>{data.counts.projects}</dd>
          </div>
          <div>
            <dt>Files</dt>
            <dd>{data.counts.files}</dd>
          </div>
          <div>
            <dt>Passages</dt>
            <dd>{data.counts.chunks}</dd>
          </div>
          <div>
            <dt>Pending jobs</dt>
            <dd>{data.counts.pendingJobs}</dd>
          </div>
          <div>
            <dt>Failed jobs</dt>
            <dd>{data.counts.failedJobs}</dd>
          </div>
        </dl>
      )}
    </section>
  );
}

function CreateUser() {
  const queryClient = useQueryClient();
  const credentials = useCredentials({ isNew: true });
  const [isAdmin, setIsAdmin] = useState(false);
  const create = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/admin/users', {
          body: { email: credentials.email.trim(), password: credentials.password, isAdmin },
        }),
      ),
    onSuccess: async () => {
      credentials.clear();
      setIsAdmin(false);
      await queryClient.invalidateQueries({ queryKey: usersQuery.queryKey });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (credentials.check()) create.mutate();
  }

  return (
    <section className="panel" aria-labelledby="create-user-heading">
      <h2 id="create-user-heading">Create an account</h2>
      <form onSubmit={submit} noValidate className="inline-form">
        <CredentialFields credentials={credentials} passwordLabel="Initial password" />
        <label className="checkbox">
          <input type="checkbox" checked={isAdmin} onChange={(e) => setIsAdmin(e.target.checked)} />{' '}
          Administrator
        </label>
        <SubmitButton busy={create.isPending} busyLabel="Creating…">
          Create account
        </SubmitButton>
      </form>
      <FormMessage
        error={create.error ? errorMessage(create.error) : undefined}
        success={create.data ? `${create.data.user.email} can now log in.` : undefined}
      />
    </section>
  );
}

function Users({ selfId }: { selfId: string }) {
  const users = useQuery(usersQuery);
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const refresh = () => queryClient.invalidateQueries({ queryKey: usersQuery.queryKey });

  async function setDisabled(userId: string, disabled: boolean) {
    setError(undefined);
    try {
      await unwrap(
        api.PATCH('/api/v1/admin/users/{userId}', {
          params: { path: { userId } },
          body: { disabled },
        }),
      );
      await refresh();
    } catch (failure) {
      setError(errorMessage(failure));
    }
  }

  return (
    <section aria-labelledby="users-heading" className="panel">
      <h2 id="users-heading">Accounts</h2>
      <FormMessage error={error} />
      <QueryStatus query={users} loading="Loading accounts…" />
      <DataTable columns={['Account', 'Role', 'State', 'Created']} actions>
        {users.data?.map((user) => (
          <tr key={user.id}>
            <td>
              {user.name ? `${user.name} · ` : ''}
              {user.email}
            </td>
            <td>{user.isAdmin ? 'administrator' : 'user'}</td>
            <td>{user.disabled ? 'disabled' : 'active'}</td>
            <td>{formatDate(user.createdAt)}</td>
            <td className="actions">
              {user.id !== selfId && (
                <>
                  <button
                    type="button"
                    className="button small ghost"
                    onClick={() => void setDisabled(user.id, !user.disabled)}
                  >
                    {user.disabled ? 'Enable' : 'Disable'}
                  </button>
                  <ConfirmButton
                    label={`Delete ${user.email}`}
                    title={`Delete ${user.email}?`}
                    description="Projects they own alone are deleted with the account."
                    confirm="Delete account"
                    className={ROW_ACTION}
                    onConfirm={async () => {
                      await unwrap(
                        api.DELETE('/api/v1/admin/users/{userId}', {
                          params: { path: { userId: user.id } },
                        }),
                      );
                      await refresh();
                    }}
                  >
                    Delete
                  </ConfirmButton>
                </>
              )}
            </td>
          </tr>
        ))}
      </DataTable>
    </section>
  );
}
