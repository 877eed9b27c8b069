import { useEffect, useRef, type ReactNode } from 'react';
import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearch } from '@tanstack/react-router';
import { errorMessage } from '../api/client';
import { documentQuery, projectQuery } from '../api/queries';

type Pages = Array<{ page: number; start: number; end: number }> | null;

/**
 * The document's text cut at every page start and at the passage's bounds, so page markers
 * and the highlighted passage can be placed without touching the text itself.
 */
function layout(text: string, pages: Pages, passage?: { start: number; end: number }) {
  const cuts = new Set<number>([0, text.length]);
  for (const p of pages ?? []) cuts.add(Math.min(p.start, text.length));
  if (passage) {
    cuts.add(Math.min(passage.start, text.length));
    cuts.add(Math.min(passage.end, text.length));
  }
  const sorted = [...cuts].sort((a, b) => a - b);
  const pageAt = new Map((pages ?? []).map((p) => [p.start, p.page]));
  const parts: ReactNode[] = [];
  for (let i = 0; i < sorted.length - 1; i += 1) {
    const from = sorted[i]!;
    const to = sorted[i + 1]!;
    const page = pageAt.get(from);
    if (page !== undefined) {
      parts.push(
        <span
          key={`page-${page}`}
          className="page-marker"
          role="separator"
          aria-label={`Page ${page}`}
        >
          Page {page}
        </span>,
      );
    }
    const piece = text.slice(from, to);
    const inside = passage && from >= passage.start && to <= passage.end && to > from;
    parts.push(
      inside ? (
        <mark key={from} className="passage-highlight" data-passage="true">
          {piece}
        </mark>
      ) : (
        <span key={from}>{piece}</span>
      ),
    );
  }
  return parts;
}

export function DocumentViewer() {
  const { project, documentId } = useParams({
    from: '/app/projects/$project/documents/$documentId',
  });
  const { start, end } = useSearch({ from: '/app/projects/$project/documents/$documentId' });
  const document = useQuery(documentQuery(project, documentId));
  const projectName = useQuery(projectQuery(project)).data?.name ?? project;
  const textRef = useRef<HTMLDivElement>(null);
  const passage =
    start !== undefined && end !== undefined && end > start ? { start, end } : undefined;

  useEffect(() => {
    const mark = textRef.current?.querySelector<HTMLElement>('[data-passage="true"]');
    if (mark) {
      mark.scrollIntoView({ block: 'center' });
      mark.setAttribute('tabindex', '-1');
      mark.focus({ preventScroll: true });
    }
  }, [document.data, start, end]);

  if (document.isPending)
    return (
      <p className="page" role="status">
        Loading the document…
      </p>
    );
  if (document.error) {
    return (
      <div className="page narrow" role="alert">
        <h1>Document unavailable</h1>
        <p>{errorMessage(document.error)}</p>
        <Link to="/projects/$project" params={{ project }}>
          Back to the project
        </Link>
      </div>
    );
  }
  const doc = document.data;
  const download = `/api/v1/projects/${encodeURIComponent(project)}/files/${doc.fileId}/original`;
  return (
    <div className="page">
      <nav aria-label="Breadcrumb" className="breadcrumb">
        <Link to="/projects/$project" params={{ project }}>
          {projectName}
        </Link>
        <span aria-hidden="true"> / </span>
        <span>{doc.title}</span>
      </nav>
      <div className="project-heading">
        <h1>{doc.title}</h1>
        <a className="button" href={download} download>
          {/* A record of a JSON Lines file comes from a file holding many. */}
          {doc.externalId ? 'Download the whole original file' : 'Download original'}
        </a>
      </div>
      <p className="muted">
        {doc.kind ?? 'document'}
        {doc.pageCount ? ` · ${doc.pageCount} pages` : ''}
        {doc.externalId ? ` · id ${doc.externalId}` : ''}
        {passage ? ' · the passage you followed is highlighted' : ''}
      </p>
      <div className="doc-text" ref={textRef}>
        {layout(doc.text, doc.pages, passage)}
      </div>
    </div>
  );
}
