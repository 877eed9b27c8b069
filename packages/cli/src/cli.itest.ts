import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, sharedDataDir } from '@quarry/core/test-support';

const main = path.join(repoRoot(), 'packages/cli/src/main.ts');
const dataDir = mkdtempSync(path.join(tmpdir(), 'quarry-cli-'));
const cranfield = () => path.join(sharedDataDir(), 'cranfield');

/** Runs the real `quarry` command (from source) on a scratch data folder. */
function quarry(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(
    process.execPath,
    ['--conditions=quarry-source', '--import', 'tsx', main, '--data-dir', dataDir, ...args],
    { encoding: 'utf8', env: { ...process.env, ...env }, maxBuffer: 64 * 1024 * 1024 },
  );
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A browser-style session on a running server: sign up, then a CSRF token for changes. */
async function signUp(url: string, email: string) {
  const signup = await fetch(new URL('/api/v1/auth/signup', url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'a long enough password' }),
  });
  expect(signup.status).toBe(201);
  const session = signup.headers.getSetCookie()[0]!.split(';')[0]!;
  const csrf = await fetch(new URL('/api/v1/auth/csrf', url), { headers: { cookie: session } });
  const { token } = (await csrf.json()) as { token: string };
  const cookie = `${session}; ${csrf.headers.getSetCookie()[0]!.split(';')[0]!}`;
  return { cookie, csrf: token };
}

/**
 * As a person with an account on a remote server: an API key from the browser session
 * drives the CLI; without one the CLI says what to do; another's project stays invisible
 * until the local administrator shares it.
 */
async function checkRemoteWithApiKey() {
  const { url } = JSON.parse(readFileSync(path.join(dataDir, 'server.json'), 'utf8')) as {
    url: string;
  };
  const person = await signUp(url, 'remote@example.org');
  const created = await fetch(new URL('/api/v1/keys', url), {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      cookie: person.cookie,
      'x-csrf-token': person.csrf,
    },
    body: JSON.stringify({ name: 'cli', scopes: ['read', 'write'] }),
  });
  expect(created.status).toBe(201);
  const { secret } = (await created.json()) as { secret: string };
  const remote = (args: string[], key?: string) =>
    quarry(['--server', url, ...(key ? ['--api-key', key] : []), ...args]);

  const anonymous = remote(['search', 'hairline cracks', '-p', 'inputs']);
  expect(anonymous.code).toBe(1);
  expect(anonymous.stderr).toMatch(/--api-key/);
  // The local administrator's project is not this person's.
  const hidden = remote(['search', 'hairline cracks', '-p', 'inputs'], secret);
  expect(hidden.code).toBe(1);
  expect(hidden.stderr).toMatch(/No project "inputs"/);

  const report = path.join(sharedDataDir(), 'inputs', 'report.pdf');
  const ingested = remote(['ingest', report, '-p', 'mine', '--json'], secret);
  expect(ingested.code).toBe(0);
  const own = remote(['search', 'hairline cracks', '-p', 'mine', '--json'], secret);
  expect(own.code).toBe(0);
  expect((JSON.parse(own.stdout) as { hits: Array<{ fileName: string }> }).hits[0]!.fileName).toBe(
    'report.pdf',
  );

  const shared = quarry(['projects', 'share', 'inputs', 'remote@example.org', '--role', 'viewer']);
  expect(shared.code).toBe(0);
  expect(shared.stdout).toMatch(/remote@example.org is now viewer of inputs/);
  const visible = remote(['search', 'hairline cracks', '-p', 'inputs', '--json'], secret);
  expect(visible.code).toBe(0);
  expect(
    (JSON.parse(visible.stdout) as { hits: Array<{ fileName: string }> }).hits[0]!.fileName,
  ).toBe('report.pdf');
}

describe('the quarry command on the shared data', () => {
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('ingests the awkward inputs, reports each file and exits 1 because some failed', () => {
    const result = quarry([
      'ingest',
      path.join(sharedDataDir(), 'inputs'),
      '-p',
      'inputs',
      '--json',
    ]);
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout) as {
      summary: { total: number; indexed: number; duplicate: number; failed: number };
      files: Array<{ name: string; state: string; errorCode: string | null }>;
    };
    const manifest = JSON.parse(
      readFileSync(path.join(sharedDataDir(), 'inputs', 'MANIFEST.json'), 'utf8'),
    ) as Array<{ file: string; expect: string }>;
    // The folder holds the manifest too, a JSON file like any other.
    expect(report.summary.total).toBe(manifest.length + 1);
    expect(report.summary.duplicate).toBe(1);
    for (const entry of manifest.filter((e) => e.expect.startsWith('error:'))) {
      const file = report.files.find((f) => f.name === entry.file)!;
      expect([file.state, file.errorCode]).toEqual(['failed', entry.expect.slice('error:'.length)]);
    }
  });

  it('ingests Cranfield, batch-searches its queries into a TREC run and evaluates it', () => {
    const ingest = quarry(['ingest', path.join(cranfield(), 'corpus.jsonl'), '-p', 'cranfield']);
    expect(ingest.code).toBe(0);
    expect(ingest.stdout).toMatch(/1 indexed, 0 duplicate, 0 failed/);
    // Two Cranfield records are empty: said, not silently dropped.
    expect(ingest.stdout).toContain('2 records have no text and were left out (lines 471, 995).');

    const runFile = path.join(dataDir, 'hybrid.trec');
    const search = quarry([
      'search',
      '--queries',
      path.join(cranfield(), 'queries.jsonl'),
      '-p',
      'cranfield',
      '-n',
      '100',
      '--run',
      runFile,
      '--tag',
      'quarry-hybrid',
    ]);
    expect(search.code).toBe(0);
    const lines = readFileSync(runFile, 'utf8').trim().split('\n');
    expect(new Set(lines.map((l) => l.split(' ')[0])).size).toBe(225);
    expect(lines[0]).toMatch(/^\S+ Q0 \d+ 1 [\d.]+ quarry-hybrid$/);

    const evaluation = quarry(['eval', cranfield(), '-p', 'cranfield', '--json']);
    expect(evaluation.code).toBe(0);
    const report = JSON.parse(evaluation.stdout) as {
      queries: number;
      results: Array<{ mode: string; ndcg10: number; map: number }>;
    };
    const ndcg = Object.fromEntries(report.results.map((r) => [r.mode, r.ndcg10]));
    expect(report.queries).toBe(225);
    // The collection's reference Lucene-style BM25 scores 0.361 (docs/retrieval-quality.md).
    expect(Math.abs(ndcg.keyword! - 0.361) / 0.361).toBeLessThan(0.02);
    expect(ndcg.hybrid).toBeGreaterThanOrEqual(0.397);
    // Ingesting 1,400 documents and running 675 queries takes a minute or two on 2 cores.
  }, 600_000);

  it('answers a question with citations to Cranfield passages', () => {
    const result = quarry([
      'ask',
      'what is the heat transfer in a laminar boundary layer?',
      '-p',
      'cranfield',
      '--json',
    ]);
    expect(result.code).toBe(0);
    const answer = JSON.parse(result.stdout) as {
      grounded: boolean;
      answer: string;
      citations: unknown[];
    };
    expect(answer.grounded).toBe(true);
    expect(answer.citations.length).toBeGreaterThan(0);
    expect(answer.answer).toMatch(/\[1\]/);
  });

  it('refuses settings it cannot serve with, naming what to change, and frees the store', () => {
    const unknownHost = quarry(['serve', '--port', '0'], { QUARRY_HOST: '999.1.1.1' });
    expect(unknownHost.code).toBe(1);
    expect(unknownHost.stderr).toMatch(/Cannot listen on 999\.1\.1\.1:0: .*set QUARRY_HOST/);

    const invalid = quarry(['serve'], { QUARRY_PORT: 'abc', QUARRY_BM25_K1: '-1' });
    expect(invalid.code).toBe(1);
    expect(invalid.stderr).toMatch(/QUARRY_PORT: expected a number, got "abc"\n.*QUARRY_BM25_K1/);

    // The failed start released the embedded store's lock.
    expect(quarry(['projects', 'list']).code).toBe(0);
  });

  it('names a file it cannot use, and what a BEIR folder needs', () => {
    const notBeir = quarry(['eval', dataDir]);
    expect(notBeir.code, notBeir.stderr).toBe(2);
    expect(notBeir.stderr).toMatch(/is not a BEIR folder: corpus\.jsonl is missing/);

    const missing = path.join(dataDir, 'no-such-queries.jsonl');
    const run = path.join(dataDir, 'run.trec');
    const batch = quarry(['search', '--queries', missing, '-p', 'inputs', '--run', run]);
    expect(batch.code, batch.stderr).toBe(2);
    expect(batch.stderr).toContain(`${missing}: no such file or folder.`);

    const queries = path.join(cranfield(), 'queries.jsonl');
    const unwritable = path.join(dataDir, 'no-such-folder', 'run.trec');
    const output = quarry(['search', '--queries', queries, '-p', 'inputs', '--run', unwritable]);
    expect(output.code, output.stderr).toBe(2);
    expect(output.stderr).toContain(`${unwritable}: no such file or folder.`);

    const absent = quarry(['eval', path.join(dataDir, 'no-such-collection')]);
    expect(absent.code, absent.stderr).toBe(2);
    expect(absent.stderr).toMatch(/no-such-collection: no such folder\./);
  });

  it("talks to a running server as its local administrator or with a person's API key, and refuses bad usage clearly", async () => {
    const server = spawn(
      process.execPath,
      [
        '--conditions=quarry-source',
        '--import',
        'tsx',
        main,
        '--data-dir',
        dataDir,
        'serve',
        '--port',
        '0',
      ],
      { stdio: ['ignore', 'ignore', 'pipe'] },
    );
    try {
      await new Promise<void>((resolve, reject) => {
        let stderr = '';
        server.stderr!.on('data', (chunk: Buffer) => {
          stderr += chunk.toString();
          if (stderr.includes('Quarry is serving on')) resolve();
        });
        server.on('exit', (code) => reject(new Error(`server exited ${code}: ${stderr}`)));
      });
      const result = quarry(['search', 'hairline cracks', '-p', 'inputs', '--json']);
      expect(result.code).toBe(0);
      const body = JSON.parse(result.stdout) as { hits: Array<{ fileName: string }> };
      expect(body.hits[0]!.fileName).toBe('report.pdf');

      const missing = quarry(['search', 'x', '-p', 'no-such-project']);
      expect(missing.code).toBe(1);
      expect(missing.stderr).toMatch(/No project "no-such-project"/);

      await checkRemoteWithApiKey();
    } finally {
      server.kill('SIGTERM');
    }
    expect(quarry(['search', '-p', 'inputs']).code).toBe(2);
  });
});
