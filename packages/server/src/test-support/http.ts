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
