import { mkdtemp, mkdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { beirDocumentText, loadBeir, parseBeirQrels } from './beir.js';
import type { Run } from './metrics.js';
import { formatTrecRun, parseTrecRun } from './trec.js';

describe('TREC run files', () => {
  it('writes one "qid Q0 docid rank score tag" line per hit, best first', () => {
    const run: Run = new Map([
      [
        '7',
        [
          { docId: 'b', score: 0.5 },
          { docId: 'a', score: 2 },
        ],
      ],
    ]);
    expect(formatTrecRun(run, 'quarry')).toBe('7 Q0 a 1 2.0 quarry\n7 Q0 b 2 0.5 quarry\n');
  });

  it('reads back what it writes', () => {
    const run: Run = new Map([
      ['1', [{ docId: 'd1', score: 1.25 }]],
      ['2', [{ docId: 'd2', score: 0.333333333 }]],
    ]);
    expect(parseTrecRun(formatTrecRun(run, 'x'))).toEqual(run);
  });

  it('rejects a malformed line with its line number', () => {
    expect(() => parseTrecRun('1 Q0 d1 1 0.5 tag\n1 Q0 d2 oops\n')).toThrow(/line 2/);
  });

  it('rejects a run tag with spaces', () => {
    expect(() => formatTrecRun(new Map(), 'two words')).toThrow();
  });
});

describe('BEIR collections', () => {
  it('loads the corpus, the judged queries and graded qrels', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'quarry-beir-'));
    await mkdir(join(dir, 'qrels'));
    await writeFile(
      join(dir, 'corpus.jsonl'),
      '{"_id":"d1","title":"Wings","text":"Wings lift."}\n{"_id":"d2","title":"Heat","text":"Flow."}\n',
    );
    await writeFile(
      join(dir, 'queries.jsonl'),
      '{"_id":"1","text":"what lifts"}\n{"_id":"2","text":"unjudged"}\n',
    );
    await writeFile(join(dir, 'qrels', 'test.tsv'), 'query-id\tcorpus-id\tscore\n1\td1\t2\n');

    const collection = await loadBeir(dir);
    expect(collection.corpus).toHaveLength(2);
    expect(collection.queries).toEqual([{ id: '1', text: 'what lifts' }]);
    expect(collection.qrels.get('1')).toEqual(new Map([['d1', 2]]));
  });

  it('puts the title in front of the text, even when the text opens with it', () => {
    expect(beirDocumentText({ id: 'a', title: 'Wings', text: 'Wings lift.' })).toBe(
      'Wings\nWings lift.',
    );
    expect(beirDocumentText({ id: 'b', title: 'Heat', text: 'Flow.' })).toBe('Heat\nFlow.');
    expect(beirDocumentText({ id: 'c', title: '', text: 'Flow.' })).toBe('Flow.');
  });

  it('rejects a qrels line without three fields', () => {
    expect(() => parseBeirQrels('h\th\th\n1\td1\n')).toThrow(/line 2/);
  });
});
