// Reports the size of the built web app (`npm run web:size`): every JavaScript and CSS file
// as built, gzipped and brotli-compressed, and what a first visit downloads.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { brotliCompressSync, gzipSync } from 'node:zlib';

const dist = fileURLToPath(new URL('../dist', import.meta.url));

interface ManifestChunk {
  file: string;
  src?: string;
  isEntry?: boolean;
  imports?: string[];
  css?: string[];
}
type Manifest = Record<string, ManifestChunk>;

/** The budget for the JavaScript of the first page, compressed. */
export const FIRST_PAGE_BUDGET_BYTES = 250_000;

export interface FileSize {
  file: string;
  raw: number;
  gzip: number;
  brotli: number;
}

function sizeOf(file: string): FileSize {
  const bytes = readFileSync(join(dist, file));
  return {
    file,
    raw: bytes.length,
    gzip: gzipSync(bytes, { level: 9 }).length,
    brotli: brotliCompressSync(bytes).length,
  };
}

/** The chunks a page needs before it can run: the entry and everything it imports. */
function closure(manifest: Manifest, keys: string[]): Set<string> {
  const seen = new Set<string>();
  const visit = (key: string) => {
    if (seen.has(key)) return;
    seen.add(key);
    for (const imported of manifest[key]?.imports ?? []) visit(imported);
  };
  keys.forEach(visit);
  return seen;
}

export function reportSizes() {
  const manifest = JSON.parse(
    readFileSync(join(dist, '.vite', 'manifest.json'), 'utf8'),
  ) as Manifest;
  const files = [...new Set(Object.values(manifest).flatMap((c) => [c.file, ...(c.css ?? [])]))];
  const sizes = files.map(sizeOf).sort((a, b) => b.raw - a.raw);
  const entry = Object.keys(manifest).filter((key) => manifest[key]!.isEntry);
  // A first visit lands on the log-in page: the entry, and the lazily loaded log-in chunk.
  const login = Object.keys(manifest).filter((key) => key.endsWith('pages/AuthPages.tsx'));
  const firstPage = [...closure(manifest, [...entry, ...login])]
    .map((key) => manifest[key]!.file)
    .filter((file) => file.endsWith('.js'));
  const first = sizes.filter((s) => firstPage.includes(s.file));
  return { sizes, first };
}

const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`.padStart(10);

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { sizes, first } = reportSizes();
  console.log(
    `${'file'.padEnd(48)}${'raw'.padStart(10)}${'gzip'.padStart(10)}${'brotli'.padStart(10)}`,
  );
  for (const s of sizes)
    console.log(`${s.file.padEnd(48)}${kB(s.raw)}${kB(s.gzip)}${kB(s.brotli)}`);
  const sum = (key: 'raw' | 'gzip' | 'brotli') => first.reduce((a, s) => a + s[key], 0);
  console.log(
    `\nfirst page JavaScript (${first.length} files): ${kB(sum('raw'))} raw,` +
      `${kB(sum('gzip'))} gzip,${kB(sum('brotli'))} brotli` +
      ` — budget ${FIRST_PAGE_BUDGET_BYTES / 1000} kB compressed: ` +
      (sum('gzip') <= FIRST_PAGE_BUDGET_BYTES ? 'within' : 'OVER'),
  );
}
