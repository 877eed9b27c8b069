import { useState, type FormEvent } from 'react';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useNavigate } from '@tanstack/react-router';
import { api, errorMessage, unwrap } from '../api/client';
import { projectsQuery } from '../api/queries';
import { Field, FormMessage, SubmitButton } from '../components/forms';
import { formatDate } from '../components/format';

export function ProjectsPage() {
  const projects = useQuery(projectsQuery);
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState('');
  const [problem, setProblem] = useState<string>();

  const create = useMutation({
    mutationFn: (projectName: string) =>
      unwrap(api.POST('/api/v1/projects', { body: { name: projectName } })),
    onSuccess: async (project) => {
      await queryClient.invalidateQueries({ queryKey: projectsQuery.queryKey });
      await navigate({ to: '/projects/$project', params: { project: project.slug } });
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const trimmed = name.trim();
    setProblem(trimmed ? undefined : 'Give the project a name.');
    if (trimmed) create.mutate(trimmed);
  }

  return (
    <div className="page">
      <h1>Projects</h1>
      <section aria-labelledby="new-project" className="panel">
        <h2 id="new-project">New project</h2>
        <form onSubmit={submit} noValidate className="inline-form">
          <Field
            label="Project name"
            value={name}
            maxLength={200}
            onChange={(e) => setName(e.target.value)}
            error={problem}
            placeholder="e.g. Turbine maintenance"
          />
          <SubmitButton busy={create.isPending} busyLabel="Creating…">
            Create project
          </SubmitButton>
        </form>
        <FormMessage error={create.error ? errorMessage(create.error) : undefined} />
      </section>

      <section aria-labelledby="your-projects">
        <h2 id="your-projects">Your projects</h2>
        {projects.isPending && <p role="status">Loading projects…</p>}
        {projects.error && <FormMessage error={errorMessage(projects.error)} />}
        {projects.data?.length === 0 && (
          <p className="empty">
            No projects yet. Create one above, then drop your documents into it.
          </p>
        )}
        <ul className="card-list">
          {projects.data?.map((project) => (
            <li key={project.id} className="card">
              <Link to="/projects/$project" params={{ project: project.slug }}>
                <strong>{project.name}</strong>
              </Link>
              <span className="muted">
                {project.role ?? 'administrator'} · created {formatDate(project.createdAt)}
              </span>
            </li>
          ))}
        </ul>
      </section>
    </div>
  );
}
