import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useNavigate, useParams } from '@tanstack/react-router';
import { api, errorMessage, unwrap } from '../api/client';
import { projectQuery } from '../api/queries';
import { ConfirmButton } from '../components/ConfirmDialog';
import { Field, FormMessage, SubmitButton } from '../components/forms';

export function ProjectSettingsTab() {
  const { project } = useParams({ from: '/app/projects/$project' });
  const current = useQuery(projectQuery(project)).data;
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState(current?.name ?? '');
  const [problem, setProblem] = useState<string>();

  const rename = useMutation({
    mutationFn: (newName: string) =>
      unwrap(
        api.PATCH('/api/v1/projects/{project}', {
          params: { path: { project } },
          body: { name: newName },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['projects'] }),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    setProblem(trimmed ? undefined : 'A project needs a name.');
    if (trimmed) rename.mutate(trimmed);
  }

  return (
    <>
      <section className="panel" aria-labelledby="rename-heading">
        <h2 id="rename-heading">Name</h2>
        <form onSubmit={submit} noValidate className="inline-form">
          <Field
            label="Project name"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            error={problem}
          />
          <SubmitButton busy={rename.isPending} busyLabel="Saving…">
            Rename
          </SubmitButton>
        </form>
        <FormMessage
          error={rename.error ? errorMessage(rename.error) : undefined}
          success={rename.isSuccess ? 'Renamed.' : undefined}
        />
      </section>
      <section className="panel danger-zone" aria-labelledby="delete-heading">
        <h2 id="delete-heading">Delete the project</h2>
        <p>Every file, document, passage and index of this project is removed, for everyone.</p>
        <ConfirmButton
          label="Delete project"
          title={`Delete “${current?.name ?? project}”?`}
          description="All its documents go with it, for every member. This cannot be undone."
          confirm="Delete project"
          onConfirm={async () => {
            await unwrap(
              api.DELETE('/api/v1/projects/{project}', { params: { path: { project } } }),
            );
            queryClient.removeQueries({ queryKey: ['projects', project] });
            await queryClient.invalidateQueries({ queryKey: ['projects'] });
            await navigate({ to: '/' });
          }}
        />
      </section>
    </>
  );
}
