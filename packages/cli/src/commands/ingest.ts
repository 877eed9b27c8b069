import { readFile, stat } from 'node:fs/promises';
import { basename, resolve } from 'node:path';
import cliProgress from 'cli-progress';
import { glob } from 'tinyglobby';
import {
  TERMINAL_STATES,
  type FileStatus,
  type QuarryClient,
  type UploadOutcome,
} from '../client/client.js';
import { count } from '../format.js';
import { UsageError } from '../errors.js';

/** Files read and sent per round trip; bounds memory for large folders. */
const READ_BATCH = 25;
/** Statuses asked for per poll; files finish in upload order, so the oldest are enough. */
const POLL_BATCH = 50;
const POLL_MS = 250;

/** Expands files, folders (recursively, skipping hidden entries) and glob patterns. */
export async function expandPaths(inputs: string[]): Promise<string[]> {
  const found = new Set<string>();
  for (const input of inputs) {
    const info = await stat(input).catch(() => undefined);
    if (info?.isFile()) {
      found.add(resolve(input));
    } else if (info?.isDirectory()) {
      const matches = await glob('**/*', {
        cwd: input,
        absolute: true,
        onlyFiles: true,
        dot: false,
      });
      matches.sort().forEach((m) => found.add(m));
    } else {
      const matches = await glob(input, { absolute: true, onlyFiles: true });
      if (matches.length === 0) throw new UsageError(`Nothing matches "${input}".`);
      matches.sort().forEach((m) => found.add(m));
    }
  }
  return [...found];
}

export interface IngestReport {
  project: string;
  files: Array<FileStatus & { path: string }>;
  summary: { total: number; indexed: number; duplicate: number; failed: number };
}

export async function ingest(
  client: QuarryClient,
  options: { project: string; paths: string[]; progress: boolean },
): Promise<IngestReport> {
  const project = await client.ensureProject(options.project);
  const paths = await expandPaths(options.paths);
  if (paths.length === 0) throw new UsageError('No files to ingest.');

  const bar = options.progress
    ? new cliProgress.SingleBar(
        {
          format: ' {bar} {value}/{total} files | {state}',
          stream: process.stderr,
          hideCursor: true,
        },
        cliProgress.Presets.shades_classic,
      )
    : undefined;
  bar?.start(paths.length, 0, { state: 'uploading' });

  const outcomes: Array<UploadOutcome & { path: string }> = [];
  for (let i = 0; i < paths.length; i += READ_BATCH) {
    const batch = paths.slice(i, i + READ_BATCH);
    const files = await Promise.all(
      batch.map(async (path) => ({ name: basename(path), bytes: await readFile(path) })),
    );
    const results = await client.upload(project.slug, files);
    results.forEach((r, j) => outcomes.push({ ...r, path: batch[j]! }));
  }

  const statuses = new Map<string, FileStatus>();
  const pending = () =>
    outcomes.filter((o) => !TERMINAL_STATES.has(statuses.get(o.fileId)?.state ?? o.state));
  for (let waiting = pending(); waiting.length > 0; waiting = pending()) {
    const polled = await client.fileStatus(
      project.slug,
      waiting.slice(0, POLL_BATCH).map((o) => o.fileId),
    );
    polled.forEach((s) => statuses.set(s.id, s));
    bar?.update(outcomes.length - pending().length, { state: polled[0]?.state ?? 'processing' });
    if (pending().length > 0) await new Promise((r) => setTimeout(r, POLL_MS));
  }
  bar?.update(outcomes.length, { state: 'building the semantic index' });
  await client.waitForJobs(project.slug);
  bar?.update(outcomes.length, { state: 'done' });
  bar?.stop();

  const final = await client.fileStatus(
    project.slug,
    outcomes.map((o) => o.fileId),
  );
  const files = final.map((s, i) => ({ ...s, path: outcomes[i]!.path }));
  const count = (state: string) => files.filter((f) => f.state === state).length;
  return {
    project: project.slug,
    files,
    summary: {
      total: files.length,
      indexed: count('indexed'),
      duplicate: count('duplicate'),
      failed: count('failed'),
    },
  };
}

export function formatIngestReport(report: IngestReport): string {
  const lines = report.files.map((f) => {
    if (f.state === 'indexed') {
      const notice = f.notice ? ` — ${f.notice}` : '';
      return `  indexed    ${f.name} (${count(f.chunkCount, 'chunk')})${notice}`;
    }
    if (f.state === 'duplicate') return `  duplicate  ${f.name} (same content as an earlier file)`;
    return `  failed     ${f.name}: [${f.errorCode}] ${f.errorMessage}`;
  });
  const s = report.summary;
  lines.push(
    `${count(s.total, 'file')} into "${report.project}": ` +
      `${s.indexed} indexed, ${s.duplicate} duplicate, ${s.failed} failed`,
  );
  return lines.join('\n');
}
