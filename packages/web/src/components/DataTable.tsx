import type { ReactNode } from 'react';
import { errorMessage } from '../api/client';
import { FormMessage } from './forms';

/** A table that scrolls sideways on its own on a narrow screen, never the whole page. */
export function DataTable({
  columns,
  actions = false,
  children,
}: {
  columns: string[];
  /** Whether the last column holds row actions (its header is for screen readers). */
  actions?: boolean;
  children: ReactNode;
}) {
  return (
    <div className="table-wrap">
      <table>
        <thead>
          <tr>
            {columns.map((column) => (
              <th key={column} scope="col">
                {column}
              </th>
            ))}
            {actions && (
              <th scope="col">
                <span className="visually-hidden">Actions</span>
              </th>
            )}
          </tr>
        </thead>
        <tbody>{children}</tbody>
      </table>
    </div>
  );
}

/** What a list shows while its data loads or when loading failed. */
export function QueryStatus({
  query,
  loading,
}: {
  query: { isPending: boolean; error: unknown };
  loading: string;
}) {
  if (query.error) return <FormMessage error={errorMessage(query.error)} />;
  if (query.isPending) return <p role="status">{loading}</p>;
  return null;
}
