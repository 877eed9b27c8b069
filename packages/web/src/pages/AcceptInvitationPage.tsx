import { useEffect, useRef, useState } from 'react';
import { useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate, useSearch } from '@tanstack/react-router';
import { api, errorMessage, unwrap } from '../api/client';

/** Where an invitation e-mail's link lands: joins the project, then opens it. */
export function AcceptInvitation() {
  const { token } = useSearch({ from: '/app/invitations/accept' });
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [error, setError] = useState<string>();
  const started = useRef(false);

  useEffect(() => {
    if (!token || started.current) return;
    started.current = true;
    unwrap(api.POST('/api/v1/invitations/accept', { body: { token } }))
      .then(async ({ project }) => {
        await queryClient.invalidateQueries({ queryKey: ['projects'] });
        await navigate({ to: '/projects/$project', params: { project: project.slug } });
      })
      .catch((failure: unknown) => setError(errorMessage(failure)));
  }, [token, navigate, queryClient]);

  return (
    <div className="page narrow">
      <h1>Joining the project</h1>
      {!token && (
        <p role="alert">This link has no invitation token. Open the e-mailed link again.</p>
      )}
      {token && !error && <p role="status">Accepting the invitation…</p>}
      {error && (
        <>
          <p role="alert">{error}</p>
          <Link to="/">Go to your projects</Link>
        </>
      )}
    </div>
  );
}
