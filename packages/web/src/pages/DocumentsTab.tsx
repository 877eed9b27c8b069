import { useEffect, useMemo, useState } from 'react';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { Link, useParams } from '@tanstack/react-router';
import { api, errorMessage, unwrap } from '../api/client';
import { filesQuery, projectQuery, type FileRow } from '../api/queries';
import { ConfirmButton, ROW_ACTION } from '../components/ConfirmDialog';
import { ActionsHeader, StackingTable } from '../components/DataTable';
import { FormMessage } from '../components/forms';
import { formatBytes, formatDate } from '../components/format';
import { FileState, isSettled } from '../components/FileState';
import { canEdit } from './ProjectPage';
import { UploadPanel } from './UploadPanel';

type SortKey = 'name' | 'kind' | 'sizeBytes' | 'pageCount' | 'state' | 'createdAt';

const COLUMNS: Array<{ key: SortKey; label: string }> = [
  { key: 'name', label: 'Name' },
  { key: 'kind', label: 'Type' },
  { key: 'sizeBytes', label: 'Size' },
  { key: 'pageCount', label: 'Pages' },
  { key: 'state', label: 'State' },
  { key: 'createdAt', label: 'Uploaded' },
];

/** Keeps the file list current: state changes are pushed by the server as they happen. */
function useFileEvents(project: string) {
  const queryClient = useQueryClient();
  useEffect(() => {
    const source = new EventSource(`/api/v1/projects/${encodeURIComponent(project)}/events`);
    source.addEventListener('file', () => {
      void queryClient.invalidateQueries({ queryKey: filesQuery(project).queryKey });
    });
    return () => source.close();
  }, [project, queryClient]);
}

function compare(a: FileRow, b: FileRow, key: SortKey): number {
  const x = a[key] ?? '';
  const y = b[key] ?? '';
  if (typeof x === 'number' && typeof y === 'number') return x - y;
  return String(x).localeCompare(String(y));
}

/** What deleting a file takes with it, said before it is done. */
const DELETE_WARNING =
  'Its documents, passages and index entries go with it. This cannot be undone.';

export function DocumentsTab() {
  const { project } = useParams({ from: '/app/projects/$project' });
  const role = useQuery(projectQuery(project)).data?.role;
  const files = useQuery({
    ...filesQuery(project),
    // Events arrive from this server's workers; polling covers workers in other processes.
    refetchInterval: (query) =>
      query.state.data?.files.every((file) => isSettled(file.state)) === false ? 5_000 : false,
  });
  const queryClient = useQueryClient();
  useFileEvents(project);

  const [sort, setSort] = useState<{ key: SortKey; ascending: boolean }>({
    key: 'createdAt',
    ascending: false,
  });
  const [nameFilter, setNameFilter] = useState('');
  const [stateFilter, setStateFilter] = useState('all');

  const rows = useMemo(() => {
    const needle = nameFilter.trim().toLowerCase();
    const kept = (files.data?.files ?? []).filter(
      (file) =>
        (!needle || file.name.toLowerCase().includes(needle)) &&
        (stateFilter === 'all' ||
          (stateFilter === 'processing' ? !isSettled(file.state) : file.state === stateFilter)),
    );
    kept.sort((a, b) => compare(a, b, sort.key) * (sort.ascending ? 1 : -1));
    return kept;
  }, [files.data, nameFilter, stateFilter, sort]);

  const names = useMemo(
    () => new Map((files.data?.files ?? []).map((file) => [file.id, file.name])),
    [files.data],
  );

  const editable = canEdit(role);

  async function remove(file: FileRow) {
    await unwrap(
      api.DELETE('/api/v1/projects/{project}/files/{fileId}', {
        params: { path: { project, fileId: file.id } },
      }),
    );
    await queryClient.invalidateQueries({ queryKey: filesQuery(project).queryKey });
  }

  return (
    <>
      {editable && <UploadPanel project={project} />}
      <section aria-labelledby="files-heading">
        <h2 id="files-heading">Documents</h2>
        <div className="toolbar">
          <label>
            <span className="visually-hidden">Filter by name</span>
            <input
              type="search"
              placeholder="Filter by name"
              value={nameFilter}
              onChange={(e) => setNameFilter(e.target.value)}
            />
          </label>
          <label>
            <span>State </span>
            <select value={stateFilter} onChange={(e) => setStateFilter(e.target.value)}>
              <option value="all">All</option>
              <option value="indexed">Indexed</option>
              <option value="processing">Processing</option>
              <option value="duplicate">Duplicate</option>
              <option value="failed">Failed</option>
            </select>
          </label>
          <span className="muted" aria-live="polite">
            {files.data ? `${rows.length} of ${files.data.total} files` : ''}
          </span>
        </div>
        {files.isPending && <p role="status">Loading documents…</p>}
        {files.error && <FormMessage error={errorMessage(files.error)} />}
        {files.data?.total === 0 && (
          <p className="empty">
            No documents yet.{' '}
            {editable
              ? 'Drop files or a folder above: text, Markdown, HTML, PDF, DOCX, CSV, JSON or JSONL.'
              : 'An editor of this project can upload them.'}
          </p>
        )}
        {rows.length > 0 && (
          <StackingTable className="files-table">
            <thead>
              <tr>
                {COLUMNS.map((column) => (
                  <th
                    key={column.key}
                    scope="col"
                    aria-sort={
                      sort.key === column.key
                        ? sort.ascending
                          ? 'ascending'
                          : 'descending'
                        : undefined
                    }
                  >
                    <button
                      type="button"
                      className="sort-button"
                      onClick={() =>
                        setSort((s) => ({
                          key: column.key,
                          ascending: s.key === column.key ? !s.ascending : true,
                        }))
                      }
                    >
                      {column.label}
                      <span aria-hidden="true">
                        {sort.key === column.key ? (sort.ascending ? ' ▲' : ' ▼') : ''}
                      </span>
                    </button>
                  </th>
                ))}
                <th scope="col">By</th>
                {editable && <ActionsHeader />}
              </tr>
            </thead>
            <tbody>
              {rows.map((file) => (
                <tr key={file.id}>
                  <td className="file-name">
                    <FileLink project={project} file={file} />
                  </td>
                  <td>{file.kind ?? '—'}</td>
                  <td className="nowrap">{formatBytes(file.sizeBytes)}</td>
                  <td>{file.pageCount ?? '—'}</td>
                  <td>
                    <FileState
                      state={file.state}
                      errorCode={file.errorCode}
                      errorMessage={file.errorMessage}
                      notice={file.notice}
                      duplicateOf={names.get(file.duplicateOf ?? '')}
                    />
                  </td>
                  <td>{formatDate(file.createdAt)}</td>
                  <td>{file.uploadedByEmail ?? '—'}</td>
                  {editable && (
                    <td>
                      <ConfirmButton
                        label={`Delete ${file.name}`}
                        title={`Delete “${file.name}”?`}
                        description={DELETE_WARNING}
                        confirm="Delete"
                        className={ROW_ACTION}
                        onConfirm={() => remove(file)}
                      >
                        Delete
                      </ConfirmButton>
                    </td>
                  )}
                </tr>
              ))}
            </tbody>
          </StackingTable>
        )}
      </section>
    </>
  );
}

/** An indexed file opens in the viewer at its first document. */
function FileLink({ project, file }: { project: string; file: FileRow }) {
  if (!file.firstDocumentId) return <span>{file.name}</span>;
  return (
    <>
      <Link
        to="/projects/$project/documents/$documentId"
        params={{ project, documentId: file.firstDocumentId }}
        search={{ start: undefined, end: undefined }}
      >
        {file.name}
      </Link>
      {file.documentCount > 1 && <span className="muted"> ({file.documentCount} records)</span>}
    </>
  );
}
