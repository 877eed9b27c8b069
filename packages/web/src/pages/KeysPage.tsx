import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Dialog } from 'radix-ui';
import { api, errorMessage, unwrap } from '../api/client';
import { keysQuery } from '../api/queries';
import { ConfirmButton, ROW_ACTION } from '../components/ConfirmDialog';
import { DataTable, QueryStatus } from '../components/DataTable';
import { Field, FormMessage, SubmitButton } from '../components/forms';
import { formatDate } from '../components/format';

type Scope = 'read' | 'write' | 'admin';

const SCOPES: Array<{ value: Scope; label: string }> = [
  { value: 'read', label: 'read — list, search, ask, read documents' },
  { value: 'write', label: 'write — upload, delete, manage projects' },
  { value: 'admin', label: 'admin — manage keys; administration for administrators' },
];

export function KeysPage() {
  const keys = useQuery(keysQuery);
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [scopes, setScopes] = useState<Scope[]>(['read']);
  const [problems, setProblems] = useState<{ name?: string; scopes?: string }>({});
  const [secret, setSecret] = useState<string>();
  const [copied, setCopied] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: keysQuery.queryKey });

  const create = useMutation({
    mutationFn: () => unwrap(api.POST('/api/v1/keys', { body: { name: name.trim(), scopes } })),
    onSuccess: async (created) => {
      setSecret(created.secret);
      setCopied(false);
      setName('');
      await refresh();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = {
      name: name.trim() ? undefined : 'Name the key after what will use it.',
      scopes: scopes.length ? undefined : 'Pick at least one scope.',
    };
    setProblems(found);
    if (!found.name && !found.scopes) create.mutate();
  }

  async function copy() {
    if (!secret) return;
    await navigator.clipboard.writeText(secret);
    setCopied(true);
  }

  return (
    <div className="page">
      <h1>API keys</h1>
      <p className="muted">
        Scripts and the <code>quarry</code> command use keys: send one in an{' '}
        <code>Authorization: Bearer qk_…</code> header. A key can do what you can, within its
        scopes.
      </p>
      <section className="panel" aria-labelledby="new-key-heading">
        <h2 id="new-key-heading">New key</h2>
        <form onSubmit={submit} noValidate>
          <Field
            label="Key name"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            error={problems.name}
            placeholder="e.g. nightly import"
          />
          <fieldset
            className="checkboxes"
            aria-describedby={problems.scopes ? 'scopes-error' : undefined}
          >
            <legend>Scopes</legend>
            {SCOPES.map((scope) => (
              <label key={scope.value} className="checkbox">
                <input
                  type="checkbox"
                  checked={scopes.includes(scope.value)}
                  onChange={(e) =>
                    setScopes((all) =>
                      e.target.checked
                        ? [...all, scope.value]
                        : all.filter((s) => s !== scope.value),
                    )
                  }
                />{' '}
                {scope.label}
              </label>
            ))}
            {problems.scopes && (
              <p id="scopes-error" className="field-error">
                {problems.scopes}
              </p>
            )}
          </fieldset>
          <SubmitButton busy={create.isPending} busyLabel="Creating…">
            Create key
          </SubmitButton>
        </form>
        <FormMessage error={create.error ? errorMessage(create.error) : undefined} />
      </section>

      <Dialog.Root
        open={secret !== undefined}
        onOpenChange={(open) => !open && setSecret(undefined)}
      >
        <Dialog.Portal>
          <Dialog.Overlay className="dialog-overlay" />
          <Dialog.Content className="dialog">
            <Dialog.Title>Your new key</Dialog.Title>
            <Dialog.Description>
              Copy it now: Quarry keeps only a hash and cannot show it again.
            </Dialog.Description>
            <div className="secret-row">
              <code className="secret" data-testid="key-secret">
                {secret}
              </code>
              <button type="button" className="button" onClick={() => void copy()}>
                {copied ? 'Copied' : 'Copy'}
              </button>
            </div>
            <div className="dialog-actions">
              <Dialog.Close className="button primary">Done</Dialog.Close>
            </div>
          </Dialog.Content>
        </Dialog.Portal>
      </Dialog.Root>

      <section aria-labelledby="keys-heading">
        <h2 id="keys-heading">Your keys</h2>
        <QueryStatus query={keys} loading="Loading keys…" />
        {keys.data?.length === 0 && <p className="empty">No keys yet.</p>}
        {keys.data && keys.data.length > 0 && (
          <DataTable columns={['Name', 'Starts with', 'Scopes', 'Created', 'Last used', 'State']}>
            {keys.data.map((key) => (
              <tr key={key.id}>
                <td>{key.name}</td>
                <td>
                  <code>{key.prefix}…</code>
                </td>
                <td>{key.scopes.join(', ')}</td>
                <td>{formatDate(key.createdAt)}</td>
                <td>{key.lastUsedAt ? formatDate(key.lastUsedAt) : 'never'}</td>
                <td>
                  {key.revokedAt ? (
                    <span className="badge state-failed">revoked {formatDate(key.revokedAt)}</span>
                  ) : (
                    <ConfirmButton
                      label={`Revoke ${key.name}`}
                      title={`Revoke “${key.name}”?`}
                      description="Anything using it is refused from the next request on."
                      confirm="Revoke"
                      className={ROW_ACTION}
                      onConfirm={async () => {
                        await unwrap(
                          api.DELETE('/api/v1/keys/{keyId}', {
                            params: { path: { keyId: key.id } },
                          }),
                        );
                        await refresh();
                      }}
                    >
                      Revoke
                    </ConfirmButton>
                  )}
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>
    </div>
  );
}
