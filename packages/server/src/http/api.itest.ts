import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '@quarry/store/test-support';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';

interface ErrorBody {
  error: { code: string; message: string; requestId: string };
}

describe.each(STORE_KINDS)('the HTTP API on %s', (kind) => {
  let t: TestQuarry;
  const inject = (options: InjectOptions) => t.inject(options);
  /** Creates a project from a JSON body sent exactly as written. */
  const createFromRawJson = (payload: string) =>
    inject({
      method: 'POST',
      url: '/api/v1/projects',
      headers: { 'content-type': 'application/json' },
      payload,
    });

  beforeAll(async () => {
    t = await startTestQuarry(kind);
  });
  afterAll(async () => t?.cleanup());

  it('reports liveness and readiness', async () => {
    expect((await inject({ url: '/healthz' })).json()).toEqual({ status: 'ok' });
    expect((await inject({ url: '/readyz' })).json()).toEqual({ status: 'ready' });
  });

  it('serves an OpenAPI 3.1 document and interactive docs', async () => {
    const doc = (await inject({ url: '/openapi.json' })).json<{
      openapi: string;
      paths: Record<string, unknown>;
    }>();
    expect(doc.openapi).toBe('3.1.0');
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        '/api/v1/projects',
        '/api/v1/projects/{project}/files',
        '/api/v1/projects/{project}/search',
        '/api/v1/projects/{project}/ask',
        '/api/v1/projects/{project}/documents/{documentId}',
      ]),
    );
    expect((await inject({ url: '/docs/' })).statusCode).toBe(200);
  });

  it('creates, lists, renames and deletes projects', async () => {
    const created = await inject({
      method: 'POST',
      url: '/api/v1/projects',
      payload: { name: 'Field Notes' },
    });
    expect(created.statusCode).toBe(201);
    expect(created.json<{ slug: string }>().slug).toBe('field-notes');
    const again = await inject({
      method: 'POST',
      url: '/api/v1/projects',
      payload: { name: 'field notes' },
    });
    expect(again.statusCode).toBe(409);
    expect(again.json<ErrorBody>().error.code).toBe('project_exists');
    const renamed = await inject({
      method: 'PATCH',
      url: '/api/v1/projects/field-notes',
      payload: { name: 'Notes from the field' },
    });
    expect(renamed.json<{ name: string }>().name).toBe('Notes from the field');
    const listed = await inject({ url: '/api/v1/projects' });
    expect(
      listed.json<{ projects: Array<{ slug: string }> }>().projects.map((p) => p.slug),
    ).toContain('field-notes');
    expect(
      (await inject({ method: 'DELETE', url: '/api/v1/projects/field-notes' })).statusCode,
    ).toBe(204);
    expect((await inject({ url: '/api/v1/projects/field-notes' })).statusCode).toBe(404);
  });

  it('answers mistakes with a stable code, a message and the request id', async () => {
    const invalid = await inject({
      method: 'POST',
      url: '/api/v1/projects',
      headers: { 'x-request-id': 'req-123' },
      payload: { name: '' },
    });
    expect(invalid.statusCode).toBe(400);
    const body = invalid.json<ErrorBody>();
    expect(body.error.code).toBe('validation_failed');
    expect(body.error.requestId).toBe('req-123');
    expect(invalid.headers['x-request-id']).toBe('req-123');
    expect(body.error.message).toMatch(/name/);

    const badJson = await createFromRawJson('{"name": ');
    expect(badJson.statusCode).toBe(400);
    expect(badJson.json<ErrorBody>().error.code).toBe('validation_failed');

    const missing = await inject({ url: '/api/v1/projects/nope/files' });
    expect(missing.json<ErrorBody>().error.code).toBe('project_not_found');
    expect((await inject({ url: '/api/v1/nothing-here' })).json<ErrorBody>().error.code).toBe(
      'route_not_found',
    );
  });

  it('refuses an upload that is not multipart', async () => {
    await inject({ method: 'POST', url: '/api/v1/projects', payload: { name: 'uploads' } });
    const response = await inject({
      method: 'POST',
      url: '/api/v1/projects/uploads/files',
      payload: { file: 'text' },
    });
    expect(response.statusCode).toBe(415);
    expect(response.json<ErrorBody>().error.code).toBe('unsupported_media_type');
  });

  it('refuses a multipart body it cannot read with 400, storing nothing of it', async () => {
    await inject({ method: 'POST', url: '/api/v1/projects', payload: { name: 'torn' } });
    const part = '--b1\r\nContent-Disposition: form-data; name="file"; filename="a.txt"\r\n\r\n';
    const bodies = [
      { type: 'multipart/form-data', body: `${part}hello\r\n--b1--\r\n` }, // no boundary
      { type: 'multipart/form-data; boundary=b1', body: `${part}hello, cut sho` }, // truncated
    ];
    for (const { type, body } of bodies) {
      const response = await inject({
        method: 'POST',
        url: '/api/v1/projects/torn/files',
        headers: { 'content-type': type },
        payload: body,
      });
      expect(response.statusCode).toBe(400);
      const error = response.json<ErrorBody>().error;
      expect(error.code).toBe('validation_failed');
      expect(error.message).toMatch(/multipart body could not be read/);
    }
    const files = await inject({ url: '/api/v1/projects/torn/files' });
    expect(files.json<{ total: number }>().total).toBe(0);
  });

  it('refuses a file name the database cannot store with 400, recording nothing', async () => {
    await inject({ method: 'POST', url: '/api/v1/projects', payload: { name: 'nul-names' } });
    const response = await inject({
      method: 'POST',
      url: '/api/v1/projects/nul-names/files',
      headers: { 'content-type': 'multipart/form-data; boundary=b1' },
      payload:
        '--b1\r\nContent-Disposition: form-data; name="file"; filename="a\u0000b.txt"\r\n\r\n' +
        'hello\r\n--b1--\r\n',
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.message).toMatch(/such as a NUL character/);
    const files = await inject({ url: '/api/v1/projects/nul-names/files' });
    expect(files.json<{ total: number }>().total).toBe(0);
  });

  it('refuses unstorable names and over-long URL parts in its own words', async () => {
    for (const url of ['/api/v1/projects/a%00b', '/api/v1/projects/a%00b/search']) {
      const response = await inject({
        method: url.endsWith('search') ? 'POST' : 'GET',
        url,
        payload: url.endsWith('search') ? { query: 'x' } : undefined,
      });
      expect(response.statusCode).toBe(400);
      expect(response.json<ErrorBody>().error.message).toMatch(/control characters/);
    }
    const created = await inject({
      method: 'POST',
      url: '/api/v1/projects',
      payload: { name: 'a\u0000b' },
    });
    expect(created.statusCode).toBe(400);
    expect(created.json<ErrorBody>().error.message).toMatch(/body\/name: must not contain control/);

    const long = await inject({ url: `/api/v1/projects/${'x'.repeat(5_000)}` });
    expect(long.statusCode).toBe(400);
    expect(long.json<ErrorBody>().error).toMatchObject({ code: 'validation_failed' });
  });

  it('drops a "__proto__" key from a JSON body instead of refusing it as not JSON', async () => {
    const response = await createFromRawJson('{"name":"proto-test","__proto__":{"admin":true}}');
    expect(response.statusCode).toBe(201);
    expect(response.json<{ name: string }>().name).toBe('proto-test');
  });

  it('validates search requests', async () => {
    await inject({
      method: 'POST',
      url: '/api/v1/projects',
      payload: { name: 'search-validation' },
    });
    const response = await inject({
      method: 'POST',
      url: '/api/v1/projects/search-validation/search',
      payload: { query: 'x', mode: 'telepathy', limit: -1 },
    });
    expect(response.statusCode).toBe(400);
    expect(response.json<ErrorBody>().error.message).toMatch(/mode/);

    const dates = async (payload: Record<string, unknown>) => {
      const reply = await inject({
        method: 'POST',
        url: '/api/v1/projects/search-validation/search',
        payload: { query: 'x', ...payload },
      });
      expect(reply.statusCode).toBe(400);
      return reply.json<ErrorBody>().error.message;
    };
    expect(await dates({ from: 'yesterday' })).toMatch(
      /body\/from: expected a date such as 2026-12-04/,
    );
    expect(await dates({ from: '2026-12-05', to: '2026-12-04' })).toMatch(
      /body\/to: must be later than "from"/,
    );
  });

  it('logs every request with its id and never a database message to clients', async () => {
    await inject({ url: '/api/v1/projects', headers: { 'x-request-id': 'logged-1' } });
    expect(t.logs.some((line) => line.reqId === 'logged-1')).toBe(true);
  });
});
