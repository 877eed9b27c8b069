import { useEffect, useRef, useState, type FormEvent } from 'react';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useNavigate, useParams, useSearch } from '@tanstack/react-router';
import { api, errorMessage, unwrap } from '../api/client';
import type { SearchReply } from '../api/queries';
import { FormMessage } from '../components/forms';
import { ModePicker, type Mode } from '../components/ModePicker';

const PAGE_SIZE = 10;
const KINDS = ['text', 'markdown', 'html', 'pdf', 'docx', 'csv', 'json', 'jsonl'] as const;
type Kind = (typeof KINDS)[number];

/** `/` anywhere outside a text field puts the cursor in the search box. */
export function useSlashFocus(target: React.RefObject<HTMLElement | null>) {
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const element = event.target as HTMLElement;
      const typing = element.closest('input, textarea, select, [contenteditable="true"]');
      if (event.key === '/' && !typing && !event.ctrlKey && !event.metaKey) {
        event.preventDefault();
        target.current?.focus();
      }
    };
    document.addEventListener('keydown', onKey);
    return () => document.removeEventListener('keydown', onKey);
  }, [target]);
}

export function SearchTab() {
  const { project } = useParams({ from: '/app/projects/$project' });
  const search = useSearch({ from: '/app/projects/$project/search' });
  const navigate = useNavigate({ from: '/projects/$project/search' });
  const [draft, setDraft] = useState(search.q ?? '');
  const box = useRef<HTMLInputElement>(null);
  useSlashFocus(box);
  useEffect(() => setDraft(search.q ?? ''), [search.q]);

  const mode: Mode = search.mode ?? 'hybrid';
  const page = search.page ?? 0;
  const kind = KINDS.find((k) => k === search.kind);
  const results = useQuery({
    queryKey: ['projects', project, 'search', { ...search, mode, page }],
    queryFn: () =>
      unwrap(
        api.POST('/api/v1/projects/{project}/search', {
          params: { path: { project } },
          body: {
            query: search.q ?? '',
            mode,
            limit: PAGE_SIZE,
            offset: page * PAGE_SIZE,
            passages: 3,
            ...(kind ? { kinds: [kind as Kind] } : {}),
            ...(search.from ? { from: search.from } : {}),
            ...(search.to ? { to: nextDay(search.to) } : {}),
          },
        }),
      ),
    enabled: Boolean(search.q?.trim()),
    placeholderData: keepPreviousData,
  });

  const change = (next: Partial<typeof search>) =>
    navigate({ search: (previous) => ({ ...previous, page: undefined, ...next }) });

  function submit(event: FormEvent) {
    event.preventDefault();
    void change({ q: draft.trim() || undefined });
  }

  return (
    <section aria-labelledby="search-heading">
      <h2 id="search-heading" className="visually-hidden">
        Search
      </h2>
      <form role="search" onSubmit={submit} className="search-form">
        <label htmlFor="search-box" className="visually-hidden">
          Search this project
        </label>
        <input
          id="search-box"
          ref={box}
          type="search"
          value={draft}
          onChange={(e) => setDraft(e.target.value)}
          placeholder="Search by words or meaning — press / to focus"
          autoComplete="off"
          maxLength={MAX_QUERY_CHARS}
        />
        <button type="submit" className="button primary">
          Search
        </button>
      </form>
      <div className="filters">
        <ModePicker
          value={mode}
          onChange={(m) => void change({ mode: m === 'hybrid' ? undefined : m })}
        />
        <label>
          Type{' '}
          <select
            value={kind ?? ''}
            onChange={(e) => void change({ kind: e.target.value || undefined })}
          >
            <option value="">Any</option>
            {KINDS.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <label>
          Added from{' '}
          <input
            type="date"
            value={search.from ?? ''}
            onChange={(e) => void change({ from: e.target.value || undefined })}
          />
        </label>
        <label>
          to{' '}
          <input
            type="date"
            value={search.to ?? ''}
            onChange={(e) => void change({ to: e.target.value || undefined })}
          />
        </label>
        <label className="checkbox">
          <input
            type="checkbox"
            checked={search.scores ?? false}
            onChange={(e) => void change({ scores: e.target.checked || undefined })}
          />{' '}
          Show scores
        </label>
      </div>
      {!search.q && (
        <p className="empty">
          Type words or a question. Hybrid finds passages by words and by meaning; keyword matches
          your words (and their other forms: wing, wings); semantic matches meaning even with other
          words.
        </p>
      )}
      {results.isFetching && !results.data && <p role="status">Searching…</p>}
      {results.error && <FormMessage error={errorMessage(results.error)} />}
      {search.q && results.data && (
        <Results
          project={project}
          reply={results.data}
          mode={mode}
          scores={search.scores ?? false}
          page={page}
          onPage={(p) =>
            void navigate({ search: (previous) => ({ ...previous, page: p || undefined }) })
          }
        />
      )}
    </section>
  );
}

/** The day after a date input's value: "to" includes the whole day picked. */

/** What else to try when a search in each mode finds nothing. */
const OTHER_WAYS: Record<Mode, string> = {
  hybrid: 'switch to semantic mode to match meaning',
  keyword: 'switch to semantic mode to match meaning',
  semantic: 'describe the topic rather than quoting it, switch to hybrid mode to match words too',
};

/** The longest query the server takes (its schema's limit). */
const MAX_QUERY_CHARS = 2000;
function nextDay(date: string): string {
  const day = new Date(`${date}T00:00:00`);
  day.setDate(day.getDate() + 1);
  return day.toISOString();
}

function Results({
  project,
  reply,
  mode,
  scores,
  page,
  onPage,
}: {
  project: string;
  reply: SearchReply;
  mode: Mode;
  scores: boolean;
  page: number;
  onPage: (page: number) => void;
}) {
  const pages = Math.max(1, Math.ceil(reply.total / PAGE_SIZE));
  if (reply.hits.length === 0) {
    return (
      <div className="empty" role="status">
        <p>
          <strong>Nothing relevant found for “{reply.query}”.</strong>
        </p>
        <p>Try fewer or other words, {OTHER_WAYS[mode]}, or clear the type and date filters.</p>
      </div>
    );
  }
  return (
    <>
      <p className="muted" role="status">
        {reply.total} {reply.total === 1 ? 'document' : 'documents'} · {reply.tookMs.toFixed(0)} ms
      </p>
      <ol className="results" start={page * PAGE_SIZE + 1}>
        {reply.hits.map((hit) => (
          <li key={hit.documentId} className="result">
            <h3>
              <Link
                to="/projects/$project/documents/$documentId"
                params={{ project, documentId: hit.documentId }}
                search={{ start: hit.passages[0]?.start, end: hit.passages[0]?.end }}
              >
                {hit.title || hit.fileName}
              </Link>
              {scores && <span className="score"> score {hit.score.toFixed(3)}</span>}
            </h3>
            <p className="muted">
              {hit.fileName}
              {hit.kind ? ` · ${hit.kind}` : ''}
            </p>
            <ul className="passages">
              {hit.passages.map((passage) => (
                <li key={passage.chunkId}>
                  <Link
                    to="/projects/$project/documents/$documentId"
                    params={{ project, documentId: hit.documentId }}
                    search={{ start: passage.start, end: passage.end }}
                    className="passage"
                  >
                    {passage.page !== null && <span className="page-tag">p. {passage.page}</span>}
                    {/* The server escapes the snippet; only its <mark> tags are markup. */}
                    <span dangerouslySetInnerHTML={{ __html: passage.snippet }} />
                    {scores && <span className="score"> {passage.score.toFixed(3)}</span>}
                  </Link>
                </li>
              ))}
            </ul>
          </li>
        ))}
      </ol>
      <nav aria-label="Result pages" className="pager">
        <button
          type="button"
          className="button"
          disabled={page === 0}
          onClick={() => onPage(page - 1)}
        >
          Previous
        </button>
        <span>
          Page {page + 1} of {pages}
        </span>
        <button
          type="button"
          className="button"
          disabled={page + 1 >= pages}
          onClick={() => onPage(page + 1)}
        >
          Next
        </button>
      </nav>
    </>
  );
}
