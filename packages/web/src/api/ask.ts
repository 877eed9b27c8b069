import { EventSourceParserStream } from 'eventsource-parser/stream';
import { csrf, toApiError } from './client';
import type { Answer, Citation } from './queries';

export type AskMode = 'hybrid' | 'keyword' | 'semantic';

export interface AskHandlers {
  onToken(text: string): void;
  onCitation(citation: Citation): void;
}

/**
 * Asks a question and reads the answer as server-sent events while it is written: tokens
 * first, citations as they are made, then the whole answer.
 */
export async function askStreaming(
  project: string,
  question: string,
  mode: AskMode,
  handlers: AskHandlers,
  signal?: AbortSignal,
): Promise<Answer> {
  const response = await fetch(`/api/v1/projects/${encodeURIComponent(project)}/ask`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: {
      accept: 'text/event-stream',
      'content-type': 'application/json',
      'x-csrf-token': await csrf(),
    },
    body: JSON.stringify({ question, mode }),
    signal,
  });
  if (!response.ok || !response.body) {
    throw toApiError(response.status, await response.json().catch(() => undefined));
  }
  const reader = response.body
    .pipeThrough(new TextDecoderStream())
    .pipeThrough(new EventSourceParserStream())
    .getReader();
  for (let read = await reader.read(); !read.done; read = await reader.read()) {
    const event = read.value;
    const data = JSON.parse(event.data) as Record<string, unknown>;
    if (event.event === 'token') handlers.onToken(String(data.text ?? ''));
    else if (event.event === 'citation') handlers.onCitation(data.citation as Citation);
    else if (event.event === 'done') return data as unknown as Answer;
    else if (event.event === 'error') {
      throw toApiError(500, { error: { code: 'internal', message: String(data.message) } });
    }
  }
  throw toApiError(500, {
    error: { code: 'internal', message: 'The answer stopped before it was finished. Ask again.' },
  });
}
