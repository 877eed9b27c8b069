import { useLayoutEffect, useRef, type ReactNode } from 'react';
import { errorMessage } from '../api/client';
import { FormMessage } from './forms';

/**
 * A table that becomes a list of cards on a narrow screen (styles.css), each cell labelled
 * with its column's header, so that no column hides beyond the right edge. The labels are
 * copied from the headers whenever the rows change.
 */
export function StackingTable({
  className,
  children,
}: {
  className?: string;
  children: ReactNode;
}) {
  const table = useRef<HTMLTableElement>(null);
  useLayoutEffect(() => {
    const element = table.current;
    if (!element) return;
    const label = () => {
      const headers = [...element.querySelectorAll('thead th')].map((th) =>
        th.querySelector('.visually-hidden')
          ? ''
          : (th.textContent ?? '').replace(/[▲▼]/g, '').trim(),
      );
      for (const row of element.querySelectorAll('tbody tr')) {
        [...row.children].forEach((cell, i) => {
          const text = headers[i] ?? '';
          if (cell.getAttribute('data-label') !== text) cell.setAttribute('data-label', text);
        });
      }
    };
    label();
    const observer = new MutationObserver(label);
    observer.observe(element, { childList: true, subtree: true, characterData: true });
    return () => observer.disconnect();
  }, []);
  return (
    <div className="table-wrap">
      <table ref={table} className={className}>
        {children}
      </table>
    </div>
  );
}

/** A table of rows with plain column headers, and optionally row actions in the last column. */
/** The header of a column of row actions: named for screen readers, blank on screen. */
export function ActionsHeader() {
  return (
    <th scope="col">
      <span className="visually-hidden">Actions</span>
    </th>
  );
}

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
    <StackingTable>
      <thead>
        <tr>
          {columns.map((column) => (
            <th key={column} scope="col">
              {column}
            </th>
          ))}
          {actions && <ActionsHeader />}
        </tr>
      </thead>
      <tbody>{children}</tbody>
    </StackingTable>
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
