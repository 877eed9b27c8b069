import { writeFile } from 'node:fs/promises';
import { openApiTypes, SCHEMA_FILE } from './openapi-types.js';

await writeFile(SCHEMA_FILE, await openApiTypes());
process.stdout.write(`wrote ${SCHEMA_FILE}\n`);
