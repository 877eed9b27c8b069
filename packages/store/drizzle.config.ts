import { fileURLToPath } from 'node:url';
import { defineConfig } from 'drizzle-kit';

// drizzle-kit mangles absolute `out` paths, so paths stay relative and the working directory
// is moved to this package: generation then works from the repository root
// (`npx drizzle-kit generate --config packages/store/drizzle.config.ts`) and from here
// (`npm run db:generate`).
process.chdir(fileURLToPath(new URL('.', import.meta.url)));

export default defineConfig({
  dialect: 'postgresql',
  schema: './src/schema.ts',
  out: './drizzle',
  strict: true,
  verbose: true,
});
