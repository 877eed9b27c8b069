import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { api, errorMessage, unwrap } from '../api/client';
import { meQuery, membersQuery, projectQuery } from '../api/queries';
import { ConfirmButton, ROW_ACTION } from '../components/ConfirmDialog';
import { DataTable, QueryStatus } from '../components/DataTable';
import { FormMessage, emailProblem, EmailField, SubmitButton } from '../components/forms';
import { formatDate } from '../components/format';

type Grantable = 'editor' | 'viewer';

export function MembersTab() {
  const { project } = useParams({ from: '/app/projects/$project' });
  const me = useQuery(meQuery).data;
  const role = useQuery(projectQuery(project)).data?.role;
  const members = useQuery(membersQuery(project));
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const isOwner = role === 'owner' || role === null;
  const refresh = () => queryClient.invalidateQueries({ queryKey: membersQuery(project).queryKey });
  const path = { project };

  const [email, setEmail] = useState('');
  const [inviteRole, setInviteRole] = useState<Grantable>('viewer');
  const [problem, setProblem] = useState<string>();
  const invite = useMutation({
    mutationFn: () =>
      unwrap(
        api.POST('/api/v1/projects/{project}/members', {
          params: { path },
          body: { email: email.trim(), role: inviteRole },
        }),
      ),
    onSuccess: async () => {
      setEmail('');
      await refresh();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const found = emailProblem(email);
    setProblem(found);
    if (!found) invite.mutate();
  }

  const [actionError, setActionError] = useState<string>();
  async function act(run: () => Promise<unknown>) {
    setActionError(undefined);
    try {
      await run();
      await refresh();
    } catch (failure) {
      setActionError(errorMessage(failure));
    }
  }

  const invited = invite.data
    ? 'member' in invite.data
      ? `${invite.data.member.email} is now a member.`
      : `An invitation went to ${invite.data.invitation.email}; it waits until they sign up.`
    : undefined;

  return (
    <>
      {isOwner && (
        <section className="panel" aria-labelledby="invite-heading">
          <h2 id="invite-heading">Invite someone</h2>
          <form onSubmit={submit} noValidate className="inline-form">
            <EmailField value={email} onChange={(e) => setEmail(e.target.value)} error={problem} />
            <div className="field">
              <label htmlFor="invite-role">Role</label>
              <select
                id="invite-role"
                value={inviteRole}
                onChange={(e) => setInviteRole(e.target.value as Grantable)}
              >
                <option value="viewer">Viewer — search, ask, read</option>
                <option value="editor">Editor — also upload and delete</option>
              </select>
            </div>
            <SubmitButton busy={invite.isPending} busyLabel="Inviting…">
              Invite
            </SubmitButton>
          </form>
          <FormMessage
            error={invite.error ? errorMessage(invite.error) : undefined}
            success={invited}
          />
        </section>
      )}
      <section aria-labelledby="members-heading">
        <h2 id="members-heading">Members</h2>
        <FormMessage error={actionError} />
        <QueryStatus query={members} loading="Loading members…" />
        <DataTable columns={['Member', 'Role', 'Since']} actions>
          {members.data?.members.map((member) => {
            const self = member.userId === me?.id;
            const memberPath = { project, userId: member.userId };
            return (
              <tr key={member.userId}>
                <td>
                  {member.name ? `${member.name} · ` : ''}
                  {member.email}
                  {self && <span className="muted"> (you)</span>}
                </td>
                <td>
                  {isOwner && member.role !== 'owner' ? (
                    <select
                      aria-label={`Role of ${member.email}`}
                      value={member.role}
                      onChange={(e) =>
                        void act(() =>
                          unwrap(
                            api.PATCH('/api/v1/projects/{project}/members/{userId}', {
                              params: { path: memberPath },
                              body: { role: e.target.value as Grantable },
                            }),
                          ),
                        )
                      }
                    >
                      <option value="viewer">viewer</option>
                      <option value="editor">editor</option>
                    </select>
                  ) : (
                    member.role
                  )}
                </td>
                <td>{formatDate(member.since)}</td>
                <td className="actions">
                  {isOwner && member.role !== 'owner' && (
                    <>
                      <ConfirmButton
                        label={`Make ${member.email} the owner`}
                        title={`Make ${member.email} the owner?`}
                        description="You stay on as an editor. Only the new owner can undo this."
                        confirm="Transfer ownership"
                        className="button small ghost"
                        onConfirm={async () => {
                          await unwrap(
                            api.POST('/api/v1/projects/{project}/transfer', {
                              params: { path },
                              body: { userId: member.userId },
                            }),
                          );
                          await queryClient.invalidateQueries({ queryKey: ['projects'] });
                        }}
                      >
                        Make owner
                      </ConfirmButton>
                      <ConfirmButton
                        label={`Remove ${member.email}`}
                        title={`Remove ${member.email}?`}
                        description="They lose access to this project at once."
                        confirm="Remove"
                        className={ROW_ACTION}
                        onConfirm={async () => {
                          await unwrap(
                            api.DELETE('/api/v1/projects/{project}/members/{userId}', {
                              params: { path: memberPath },
                            }),
                          );
                          await refresh();
                        }}
                      >
                        Remove
                      </ConfirmButton>
                    </>
                  )}
                  {self && member.role !== 'owner' && (
                    <ConfirmButton
                      label="Leave this project"
                      title="Leave this project?"
                      description="You lose access at once; an owner can invite you again."
                      confirm="Leave"
                      className={ROW_ACTION}
                      onConfirm={async () => {
                        await unwrap(
                          api.POST('/api/v1/projects/{project}/leave', { params: { path } }),
                        );
                        queryClient.removeQueries({ queryKey: ['projects', project] });
                        await queryClient.invalidateQueries({ queryKey: ['projects'] });
                        await navigate({ to: '/' });
                      }}
                    >
                      Leave
                    </ConfirmButton>
                  )}
                </td>
              </tr>
            );
          })}
        </DataTable>
      </section>
      {isOwner && (members.data?.invitations?.length ?? 0) > 0 && (
        <section aria-labelledby="pending-heading">
          <h2 id="pending-heading">Pending invitations</h2>
          <ul className="card-list">
            {members.data?.invitations?.map((invitation) => (
              <li key={invitation.id} className="card row">
                <span>
                  {invitation.email} · {invitation.role} · expires{' '}
                  {formatDate(invitation.expiresAt)}
                </span>
                <button
                  type="button"
                  className={ROW_ACTION}
                  onClick={() =>
                    void act(() =>
                      unwrap(
                        api.DELETE('/api/v1/projects/{project}/invitations/{invitationId}', {
                          params: { path: { project, invitationId: invitation.id } },
                        }),
                      ),
                    )
                  }
                >
                  Withdraw
                </button>
              </li>
            ))}
          </ul>
        </section>
      )}
    </>
  );
}
