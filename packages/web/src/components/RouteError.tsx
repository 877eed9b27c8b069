import { Link, type ErrorComponentProps } from '@tanstack/react-router';
import { errorMessage } from '../api/client';

export function NotFound() {
  return (
    <main id="main" className="page narrow">
      <h1>Page not found</h1>
      <p>This address leads nowhere in Quarry.</p>
      <Link to="/">Go to your projects</Link>
    </main>
  );
}

export function RouteError({ error, reset }: ErrorComponentProps) {
  return (
    <div className="page narrow" role="alert">
      <h1>Something went wrong</h1>
      <p>{errorMessage(error)}</p>
      <button type="button" className="button" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
