import type { Client } from './accounts.js';
import type { TestQuarry } from './test-quarry.js';

/** A multipart/form-data body with one "file" part per file, as a browser would send. */
export async function multipartBody(files: Array<{ name: string; bytes: Uint8Array }>) {
  const form = new FormData();
  for (const file of files) form.append('file', new Blob([file.bytes]), file.name);
  const response = new Response(form);
  return {
    payload: Buffer.from(await response.arrayBuffer()),
    headers: { 'content-type': response.headers.get('content-type')! },
  };
}

export async function upload(
  app: Pick<TestQuarry, 'inject'>,
  project: string,
  files: Array<{ name: string; bytes: Uint8Array }>,
) {
  const body = await multipartBody(files);
  return app.inject({
    method: 'POST',
    url: `/api/v1/projects/${encodeURIComponent(project)}/files`,
    ...body,
  });
}

/** Reads a server-sent-event body into its events. */
export function parseEvents(body: string): Array<{ event: string; data: unknown }> {
  return body
    .split('\n\n')
    .map((block) => ({
      event: /^event: (.+)$/m.exec(block)?.[1],
      data: /^data: (.+)$/m.exec(block)?.[1],
    }))
    .filter((e): e is { event: string; data: string } => !!e.event && !!e.data)
    .map((e) => ({ event: e.event, data: JSON.parse(e.data) as unknown }));
}

type ServerEvent = { event: string; data: unknown };

/** A server-sent-event stream being read as its events arrive. */
export interface EventStream {
  statusCode: number;
  headers: Record<string, unknown>;
  /** The next event; null when the stream ends or nothing arrives within `timeoutMs`. */
  next(timeoutMs?: number): Promise<ServerEvent | null>;
  /** Whether the server has ended the stream. */
  ended(): boolean;
  /** The whole body of a response that is not a stream, such as an error. */
  text(): Promise<string>;
  /** Hangs up, as a browser closing its tab. */
  close(): void;
}

/** Opens a server-sent-event stream through the in-process app, without waiting for its end. */
export async function openEventStream(client: Client, url: string): Promise<EventStream> {
  const hangUp = new AbortController();
  const response = await client.inject({ url, payloadAsStream: true, signal: hangUp.signal });
  const stream = response.stream();
  let buffer = '';
  let done = false;
  let wake = () => {};
  stream.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    wake();
  });
  const finish = () => {
    done = true;
    wake();
  };
  stream.on('end', finish);
  stream.on('close', finish);
  stream.on('error', finish);

  /** Takes the first complete event off the buffer, skipping comment lines. */
  const take = (): ServerEvent | undefined => {
    for (;;) {
      const end = buffer.indexOf('\n\n');
      if (end < 0) return undefined;
      const block = buffer.slice(0, end + 2);
      buffer = buffer.slice(end + 2);
      const [event] = parseEvents(block);
      if (event) return event;
    }
  };

  return {
    statusCode: response.statusCode,
    headers: response.headers,
    async next(timeoutMs = 2_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const event = take();
        if (event) return event;
        const left = deadline - Date.now();
        if (done || left <= 0) return null;
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
    },
    ended: () => done,
    async text() {
      while (!done) await new Promise<void>((resolve) => (wake = resolve));
      return buffer;
    },
    close: () => hangUp.abort(),
  };
}
