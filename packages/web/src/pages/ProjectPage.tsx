import { useQuery } from '@tanstack/react-query';
import { Link, Outlet, useParams } from '@tanstack/react-router';
import { errorMessage } from '../api/client';
import { projectQuery } from '../api/queries';

const TABS = [
  { to: '/projects/$project/search', label: 'Search', ownersOnly: false },
  { to: '/projects/$project/ask', label: 'Ask', ownersOnly: false },
  { to: '/projects/$project/members', label: 'Members', ownersOnly: false },
  { to: '/projects/$project/activity', label: 'Activity', ownersOnly: true },
  { to: '/projects/$project/settings', label: 'Settings', ownersOnly: true },
] as const;

/** A project's frame: its name and the tabs for documents, search, ask and members. */
export function ProjectPage() {
  const { project: ref } = useParams({ from: '/app/projects/$project' });
  const project = useQuery(projectQuery(ref));

  if (project.isPending)
    return (
      <p className="page" role="status">
        Loading the project…
      </p>
    );
  if (project.error) {
    return (
      <div className="page narrow" role="alert">
        <h1>Project unavailable</h1>
        <p>{errorMessage(project.error)}</p>
        <Link to="/">Go to your projects</Link>
      </div>
    );
  }
  const canOwn = project.data.role === 'owner' || project.data.role === null;
  const params = { project: ref };
  return (
    <div className="page">
      <div className="project-heading">
        <h1>{project.data.name}</h1>
        <span className="badge">{project.data.role ?? 'administrator'}</span>
      </div>
      <nav aria-label="Project" className="tabs">
        <Link to="/projects/$project" params={params} activeOptions={{ exact: true }}>
          Documents
        </Link>
        {TABS.filter((tab) => canOwn || !tab.ownersOnly).map((tab) => (
          <Link key={tab.to} to={tab.to} params={params}>
            {tab.label}
          </Link>
        ))}
      </nav>
      <Outlet />
    </div>
  );
}

/** Whether the signed-in person may upload and delete in this project. */
export function canEdit(role: string | null | undefined) {
  return role === null || role === 'owner' || role === 'editor';
}
