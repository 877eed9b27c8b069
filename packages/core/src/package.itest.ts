import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from './test-support/index.js';

/** A plain script, as a user of the published package would write it. */
const script = `
import { chunkDocument, englishAnalyzer, evaluateRun, extractFile, SearchIndex } from '@quarry/core';

const text = 'Turbine bearings wore out.\\n\\nThe garden needs compost.\\n\\nBearings were replaced.';
const extracted = await extractFile(new TextEncoder().encode(text), { fileName: 'notes.txt' });
const chunks = chunkDocument(extracted.documents[0], { targetChars: 30, maxChars: 40, overlapChars: 0 });
const index = new SearchIndex();
chunks.forEach((chunk, id) => index.add(id, englishAnalyzer.analyze(chunk.text)));
const hits = await index.search('bearing', { mode: 'keyword' });
const run = new Map([['q1', hits.map((h) => ({ docId: String(h.id), score: h.score }))]]);
const qrels = new Map([['q1', new Map([['0', 1]])]]);
console.log(JSON.stringify({
  kind: extracted.kind,
  chunks: chunks.map((c) => c.text),
  hits: hits.map((h) => chunks[h.id].text),
  ndcg10: evaluateRun(run, qrels).mean.ndcg10,
}));
`;

describe('the @quarry/core package', () => {
  const work = mkdtempSync(path.join(tmpdir(), 'quarry-core-package-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it('packs, installs and runs from a plain script with typed exports', () => {
    const root = repoRoot();
    const run = (cmd: string, args: string[], cwd: string) =>
      execFileSync(cmd, args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });

    run(
      process.execPath,
      [path.join(root, 'node_modules/typescript/bin/tsc'), '-b', 'packages/core'],
      root,
    );
    const packed = JSON.parse(
      run('npm', ['pack', '--json', '--pack-destination', work], path.join(root, 'packages/core')),
    ) as Array<{ filename: string; files: Array<{ path: string }> }>;
    const files = packed[0]!.files.map((f) => f.path);
    expect(files).toEqual(
      expect.arrayContaining(['dist/index.js', 'dist/index.d.ts', 'README.md']),
    );
    expect(files.some((f) => f.endsWith('.test.js') || f.includes('test-support'))).toBe(false);

    writeFileSync(
      path.join(work, 'package.json'),
      JSON.stringify({ type: 'module', private: true }),
    );
    run(
      'npm',
      [
        'install',
        '--prefer-offline',
        '--no-audit',
        '--no-fund',
        path.join(work, packed[0]!.filename),
      ],
      work,
    );
    writeFileSync(path.join(work, 'use.mjs'), script);
    const output = JSON.parse(run(process.execPath, ['use.mjs'], work)) as {
      kind: string;
      chunks: string[];
      hits: string[];
      ndcg10: number;
    };

    expect(output.kind).toBe('text');
    expect(output.chunks).toEqual([
      'Turbine bearings wore out.',
      'The garden needs compost.',
      'Bearings were replaced.',
    ]);
    expect(output.hits.sort()).toEqual(['Bearings were replaced.', 'Turbine bearings wore out.']);
    expect(output.ndcg10).toBeGreaterThan(0);

    // The declarations type-check a consumer, and catch a misuse.
    writeFileSync(
      path.join(work, 'typed.ts'),
      "import { englishAnalyzer, type Chunk } from '@quarry/core';\n" +
        'const terms: string[] = englishAnalyzer.analyze("x");\n' +
        'const chunk: Chunk = { ordinal: 0, text: "", start: 0, end: 0 };\n' +
        'export const bad: number = chunk.text;\n' +
        'export { terms };\n',
    );
    const tsc = path.join(root, 'node_modules/typescript/bin/tsc');
    const flags = ['--noEmit', '--strict', '--module', 'nodenext', '--skipLibCheck', 'typed.ts'];
    let diagnostics = '';
    try {
      run(process.execPath, [tsc, ...flags], work);
    } catch (error) {
      diagnostics = String((error as { stdout?: string }).stdout);
    }
    expect(diagnostics).toMatch(/typed\.ts\(4,14\): error TS2322/);
    expect(diagnostics.match(/error TS/g)).toHaveLength(1);
  }, 300_000);
});
