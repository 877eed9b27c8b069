import { readFile } from 'node:fs/promises';
import { describe, expect, it } from 'vitest';
import { openApiTypes, SCHEMA_FILE } from '../scripts/openapi-types.js';
import { reportSizes, FIRST_PAGE_BUDGET_BYTES } from '../scripts/report-size.js';

describe('the web app build', () => {
  it('has an API client generated from the server as it is now', async () => {
    const checkedIn = await readFile(SCHEMA_FILE, 'utf8');
    // On a mismatch: `npm run web:api` regenerates src/api/schema.ts.
    expect(checkedIn === (await openApiTypes())).toBe(true);
  });

  it('keeps the first page under its compressed JavaScript budget', () => {
    const { first, sizes } = reportSizes();
    expect(sizes.length).toBeGreaterThan(5);
    expect(first.length).toBeGreaterThan(0);
    const gzip = first.reduce((sum, file) => sum + file.gzip, 0);
    expect(gzip).toBeLessThan(FIRST_PAGE_BUDGET_BYTES);
  });
});
