// The typed API client's types, generated from the OpenAPI document the server serves at
// /openapi.json. `npm run api:generate -w @quarry/web` rewrites src/api/schema.ts; a test
// regenerates it and fails when the checked-in copy has drifted from the server.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import openapiTS, { astToString } from 'openapi-typescript';
import { createLogger, createQuarry, parseSettings } from '@quarry/server';

export const SCHEMA_FILE = fileURLToPath(new URL('../src/api/schema.ts', import.meta.url));

const HEADER =
  "// Generated from the server's OpenAPI document by scripts/openapi-types.ts. Do not edit:\n" +
  '// run `npm run api:generate -w @quarry/web`.\n\n';

/** The server's OpenAPI document, read from a Quarry started on a scratch embedded store. */
export async function serverOpenApiDocument(): Promise<Record<string, unknown>> {
  const dataDir = await mkdtemp(join(tmpdir(), 'quarry-openapi-'));
  const settings = parseSettings({ store: { kind: 'embedded', dataDir }, logLevel: 'silent' });
  const quarry = await createQuarry(settings, {
    logger: createLogger('silent'),
    runWorker: false,
  });
  try {
    return quarry.http.swagger() as unknown as Record<string, unknown>;
  } finally {
    await quarry.close();
    await rm(dataDir, { recursive: true, force: true });
  }
}

/** The TypeScript text of `src/api/schema.ts` for the server as it is now. */
export async function openApiTypes(): Promise<string> {
  const document = await serverOpenApiDocument();
  const ast = await openapiTS(document as unknown as Parameters<typeof openapiTS>[0]);
  return HEADER + astToString(ast);
}
