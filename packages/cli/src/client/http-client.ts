import type { SearchRequestInput, SearchResponse } from '@quarry/server';
import type {
  AnswerResult,
  FileStatus,
  ProjectInfo,
  QuarryClient,
  UploadOutcome,
} from './client.js';

/** A Quarry error as the server reports it, shown to the user as is. */
export class RemoteError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Files sent per request, so one upload of a large folder does not become one huge body. */
const UPLOAD_BATCH = 50;
const POLL_MS = 300;

export function openHttpClient(baseUrl: string, apiKey?: string): QuarryClient {
  const api = new URL('/api/v1/', baseUrl);
  const headers: Record<string, string> = apiKey ? { authorization: `Bearer ${apiKey}` } : {};

  async function call<T>(method: string, path: string, body?: unknown): Promise<T> {
    const init: RequestInit = { method, headers: { ...headers } };
    if (body instanceof FormData) init.body = body;
    else if (body !== undefined) {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)['content-type'] = 'application/json';
    }
    const response = await fetch(new URL(path, api), init);
    if (response.status === 204) return undefined as T;
    const payload = (await response.json().catch(() => ({}))) as {
      error?: { code: string; message: string };
    };
    if (!response.ok) {
      const error = payload.error ?? { code: 'http_error', message: response.statusText };
      const hint =
        response.status === 401
          ? ' Pass --api-key or set QUARRY_API_KEY (create one under API keys).'
          : '';
      throw new RemoteError(response.status, error.code, error.message + hint);
    }
    return payload as T;
  }

  const p = (project: string) => `projects/${encodeURIComponent(project)}`;

  const client: QuarryClient = {
    description: `server at ${baseUrl}`,
    getProject: (ref) => call<ProjectInfo>('GET', p(ref)),
    async ensureProject(ref) {
      try {
        return await client.getProject(ref);
      } catch (error) {
        if (error instanceof RemoteError && error.code === 'project_not_found') {
          return call<ProjectInfo>('POST', 'projects', { name: ref });
        }
        throw error;
      }
    },
    listProjects: async () => (await call<{ projects: ProjectInfo[] }>('GET', 'projects')).projects,
    deleteProject: (ref) => call<void>('DELETE', p(ref)),
    async share(project, email, role) {
      const result = await call<{ member?: { userId: string } }>('POST', `${p(project)}/members`, {
        email,
        role: role === 'owner' ? 'editor' : role,
      });
      if (!result.member) return 'invited';
      if (role !== 'owner') return 'added';
      await call<void>('POST', `${p(project)}/transfer`, { userId: result.member.userId });
      return 'transferred';
    },
    async upload(project, files) {
      const outcomes: UploadOutcome[] = [];
      for (let i = 0; i < files.length; i += UPLOAD_BATCH) {
        const form = new FormData();
        for (const file of files.slice(i, i + UPLOAD_BATCH)) {
          form.append('file', new Blob([file.bytes]), file.name);
        }
        const result = await call<{ files: UploadOutcome[] }>('POST', `${p(project)}/files`, form);
        outcomes.push(...result.files);
      }
      return outcomes;
    },
    async fileStatus(project, fileIds) {
      return Promise.all(fileIds.map((id) => call<FileStatus>('GET', `${p(project)}/files/${id}`)));
    },
    async waitForJobs(project) {
      for (;;) {
        const { pending } = await call<{ pending: number }>('GET', `${p(project)}/jobs`);
        if (pending === 0) return;
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    },
    search: (project, request: SearchRequestInput) =>
      call<SearchResponse>('POST', `${p(project)}/search`, request),
    async ask(project, request, onToken) {
      const response = await fetch(new URL(`${p(project)}/ask`, api), {
        method: 'POST',
        headers: { ...headers, 'content-type': 'application/json', accept: 'text/event-stream' },
        body: JSON.stringify(request),
      });
      if (!response.ok || !response.body) {
        const payload = (await response.json().catch(() => ({}))) as {
          error?: { code: string; message: string };
        };
        const error = payload.error ?? { code: 'http_error', message: response.statusText };
        throw new RemoteError(response.status, error.code, error.message);
      }
      return readAnswerStream(response.body, onToken);
    },
    close: async () => undefined,
  };
  return client;
}

/** Reads the `ask` server-sent-event stream: `token` events, then one `done` event. */
async function readAnswerStream(
  body: ReadableStream<Uint8Array>,
  onToken?: (text: string) => void,
): Promise<AnswerResult> {
  const decoder = new TextDecoder();
  let buffer = '';
  for await (const bytes of body as unknown as AsyncIterable<Uint8Array>) {
    buffer += decoder.decode(bytes, { stream: true });
    let boundary: number;
    while ((boundary = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, boundary);
      buffer = buffer.slice(boundary + 2);
      const event = /^event: (.+)$/m.exec(block)?.[1];
      const data = /^data: (.+)$/m.exec(block)?.[1];
      if (!event || !data) continue;
      const parsed = JSON.parse(data) as { text?: string } & AnswerResult & { message?: string };
      if (event === 'token' && parsed.text) onToken?.(parsed.text);
      if (event === 'done') return parsed;
      if (event === 'error') throw new RemoteError(500, 'ask_failed', parsed.message ?? 'failed');
    }
  }
  throw new RemoteError(502, 'stream_ended', 'The answer stream ended before the answer was done.');
}
