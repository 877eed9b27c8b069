import { Fragment, useEffect, useRef, useState, type FormEvent } from 'react';
import { Link, useParams } from '@tanstack/react-router';
import { errorMessage } from '../api/client';
import { askStreaming } from '../api/ask';
import type { Citation } from '../api/queries';
import { FormMessage } from '../components/forms';
import { ModePicker, type Mode } from '../components/ModePicker';
import { useSlashFocus } from './SearchTab';

interface Asked {
  question: string;
  text: string;
  citations: Citation[];
  done: boolean;
  grounded?: boolean;
  generator?: string;
}

export function AskTab() {
  const { project } = useParams({ from: '/app/projects/$project' });
  const [question, setQuestion] = useState('');
  const [mode, setMode] = useState<Mode>('hybrid');
  const [asked, setAsked] = useState<Asked>();
  const [error, setError] = useState<string>();
  const [problem, setProblem] = useState<string>();
  const running = useRef<AbortController>(undefined);
  const box = useRef<HTMLTextAreaElement>(null);
  useSlashFocus(box);
  // Leaving the tab mid-answer stops the stream.
  useEffect(() => () => running.current?.abort(), []);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const text = question.trim();
    setProblem(text ? undefined : 'Write a question first.');
    if (!text) return;
    running.current?.abort();
    const controller = new AbortController();
    running.current = controller;
    setError(undefined);
    setAsked({ question: text, text: '', citations: [], done: false });
    try {
      const answer = await askStreaming(
        project,
        text,
        mode,
        {
          onToken: (token) => setAsked((a) => a && { ...a, text: a.text + token }),
          onCitation: (citation) =>
            setAsked((a) => a && { ...a, citations: [...a.citations, citation] }),
        },
        controller.signal,
      );
      setAsked({
        question: text,
        text: answer.answer,
        citations: answer.citations,
        done: true,
        grounded: answer.grounded,
        generator: answer.generator,
      });
    } catch (failure) {
      if (!controller.signal.aborted) {
        setError(errorMessage(failure));
        setAsked(undefined);
      }
    }
  }

  return (
    <section aria-labelledby="ask-heading">
      <h2 id="ask-heading" className="visually-hidden">
        Ask
      </h2>
      <form onSubmit={submit} noValidate className="ask-form">
        <label htmlFor="question">Ask a question about this project's documents</label>
        <textarea
          id="question"
          ref={box}
          rows={2}
          value={question}
          maxLength={2000}
          onChange={(e) => setQuestion(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter' && !e.shiftKey) {
              e.preventDefault();
              e.currentTarget.form?.requestSubmit();
            }
          }}
          aria-invalid={problem ? true : undefined}
          aria-describedby={problem ? 'question-error' : undefined}
          placeholder="e.g. What should we replace at the next outage?"
        />
        {problem && (
          <p id="question-error" className="field-error">
            {problem}
          </p>
        )}
        <div className="row">
          <ModePicker value={mode} onChange={setMode} />
          <button type="submit" className="button primary" disabled={asked && !asked.done}>
            {asked && !asked.done ? 'Answering…' : 'Ask'}
          </button>
        </div>
      </form>
      <FormMessage error={error} />
      {asked && <AnswerView project={project} asked={asked} />}
    </section>
  );
}

/** The answer with each [n] turned into a link to the passage it cites. */
function AnswerView({ project, asked }: { project: string; asked: Asked }) {
  const byNumber = new Map(asked.citations.map((c) => [c.n, c]));
  const parts = asked.text.split(/(\[\d+\])/g);
  if (asked.done && asked.grounded === false) {
    return (
      <div className="answer empty" role="status">
        <p>
          <strong>No relevant passage found.</strong> Nothing in this project answers “
          {asked.question}”. Try other words, or upload the documents that would answer it.
        </p>
      </div>
    );
  }
  return (
    <article className="answer" aria-live="polite" aria-busy={!asked.done}>
      <h3>Answer</h3>
      <p className="answer-text">
        {parts.map((part, i) => {
          const n = /^\[(\d+)\]$/.exec(part)?.[1];
          const citation = n ? byNumber.get(Number(n)) : undefined;
          if (!citation) return <Fragment key={i}>{part}</Fragment>;
          return (
            <Link
              key={i}
              className="citation"
              to="/projects/$project/documents/$documentId"
              params={{ project, documentId: citation.documentId }}
              search={{ start: citation.start, end: citation.end }}
              aria-label={`Source ${citation.n}: ${citation.documentTitle}`}
            >
              [{citation.n}]
            </Link>
          );
        })}
        {!asked.done && <span className="cursor" aria-hidden="true" />}
      </p>
      {asked.done && asked.generator && (
        <p className="muted small">
          Extractive answer: sentences quoted from your documents ({asked.generator}).
        </p>
      )}
      {asked.citations.length > 0 && (
        <>
          <h3>Sources</h3>
          <ol className="sources">
            {asked.citations.map((citation) => (
              <li key={citation.n} value={citation.n}>
                <Link
                  to="/projects/$project/documents/$documentId"
                  params={{ project, documentId: citation.documentId }}
                  search={{ start: citation.start, end: citation.end }}
                >
                  {citation.documentTitle}
                  {citation.page !== undefined && `, page ${citation.page}`}
                </Link>
                <blockquote>{citation.quote}</blockquote>
              </li>
            ))}
          </ol>
        </>
      )}
    </article>
  );
}
