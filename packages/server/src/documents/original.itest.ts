import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { STORE_KINDS } from '@quarry/store/test-support';
import {
  anonymous,
  createProject,
  ROOMY_RATE_LIMITS,
  signUp,
  type Browser,
} from '../test-support/accounts.js';
import { multipartBody } from '../test-support/http.js';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';

const NAME = 'résumé “final” 履歴書.txt';
const BYTES = new TextEncoder().encode('The pump primes slowly after a cold start.\n');

describe.each(STORE_KINDS)('downloading an original file on %s', (kind) => {
  let t: TestQuarry;
  let owner: Browser;
  let stranger: Browser;
  let project: string;
  let fileId: string;
  const url = () => `/api/v1/projects/${project}/files/${fileId}/original`;

  beforeAll(async () => {
    t = await startTestQuarry(kind, { rateLimit: ROOMY_RATE_LIMITS });
    owner = await signUp(t, 'owner@example.org');
    stranger = await signUp(t, 'stranger@example.org');
    project = await createProject(owner, 'Pumps');
    const body = await multipartBody([{ name: NAME, bytes: BYTES }]);
    const uploaded = await owner.inject({
      method: 'POST',
      url: `/api/v1/projects/${project}/files`,
      ...body,
    });
    expect(uploaded.statusCode, uploaded.body).toBe(202);
    fileId = uploaded.json<{ files: Array<{ fileId: string }> }>().files[0]!.fileId;
    await t.quarry.drain();
  });

  afterAll(async () => {
    await t?.cleanup();
  });

  it('gives a member the exact bytes as an attachment under the original name', async () => {
    const response = await owner.inject({ url: url() });
    expect(response.statusCode).toBe(200);
    expect(Buffer.compare(response.rawPayload, Buffer.from(BYTES))).toBe(0);
    expect(response.headers['content-disposition']).toMatch(/^attachment;/);
    expect(decodeURIComponent(String(response.headers['content-disposition']))).toContain(NAME);
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('lists the uploader and the first document with the file', async () => {
    const response = await owner.inject({ url: `/api/v1/projects/${project}/files/${fileId}` });
    const file = response.json<{ uploadedByEmail: string; firstDocumentId: string }>();
    expect(file.uploadedByEmail).toBe('owner@example.org');
    const documents = await owner.inject({
      url: `/api/v1/projects/${project}/documents?fileId=${fileId}`,
    });
    expect(documents.json<{ documents: Array<{ id: string }> }>().documents).toEqual([
      expect.objectContaining({ id: file.firstDocumentId }),
    ]);
  });

  it('does not exist for someone outside the project, nor for anonymous callers', async () => {
    expect((await stranger.inject({ url: url() })).statusCode).toBe(404);
    expect((await anonymous(t, { url: url() })).statusCode).toBe(401);
  });
});
