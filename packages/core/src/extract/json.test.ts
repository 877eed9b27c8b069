import { readFileSync } from 'node:fs';
import path from 'node:path';

import { describe, expect, test } from 'vitest';

import { extractFile, isExtractionError } from './index.js';
import { sharedDataDir } from './test-support/shared-data.js';

const utf8 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf8'));

describe('JSON Lines', () => {
  test('BEIR records become one document each, with id, title and text', async () => {
    const lines = [
      { _id: 'd1', title: 'Wing flutter', text: 'Flutter of swept wings at transonic speed.' },
      { _id: 'd2', title: 'Boundary layers', text: 'boundary layers. Transition on flat plates.' },
      { _id: 3, title: '', text: 'A record without a title.' },
    ];
    const file = await extractFile(utf8(lines.map((line) => JSON.stringify(line)).join('\n')), {
      fileName: 'corpus.jsonl',
    });

    expect(file.kind).toBe('jsonl');
    expect(file.documents).toEqual([
      {
        externalId: 'd1',
        title: 'Wing flutter',
        text: 'Flutter of swept wings at transonic speed.',
        chunkPrefix: 'Wing flutter',
      },
      // The text already opens with the title: the prefix repeats it, weighing its words.
      {
        externalId: 'd2',
        title: 'Boundary layers',
        text: 'boundary layers. Transition on flat plates.',
        chunkPrefix: 'Boundary layers',
      },
      { externalId: '3', text: 'A record without a title.' },
    ]);
    expect(file.notice).toBeUndefined();
  });

  test('records without text are left out and the file says which lines they were on', async () => {
    const lines = [
      { _id: 'a', title: 'Kept', text: 'Some text.' },
      { _id: 'b', title: '', text: '' },
      { _id: 'c', title: ' ', text: '  ' },
      { _id: 'd', title: '', text: 'More text.' },
    ];
    const file = await extractFile(utf8(lines.map((line) => JSON.stringify(line)).join('\n')), {
      fileName: 'corpus.jsonl',
    });

    expect(file.documents.map((document) => document.externalId)).toEqual(['a', 'd']);
    expect(file.notice).toBe('2 records have no text and were left out (lines 2, 3).');
  });

  test('the first Cranfield records are read as BEIR documents', async () => {
    const corpus = readFileSync(path.join(sharedDataDir(), 'cranfield', 'corpus.jsonl'), 'utf8');
    const firstLines = corpus.split('\n').slice(0, 5).join('\n');
    const expected = firstLines
      .split('\n')
      .map((line) => JSON.parse(line) as { _id: string; title: string; text: string });

    const file = await extractFile(utf8(firstLines), { fileName: 'corpus.jsonl' });

    expect(file.documents).toHaveLength(5);
    file.documents.forEach((document, i) => {
      expect(document.externalId).toBe(expected[i]?._id);
      expect(document.title).toBe(expected[i]?.title.trim());
      expect(document.text).toBe(expected[i]?.text);
    });
    // Cranfield repeats the title at the start of the text; it is context for chunks all the same.
    expect(file.documents[0]?.chunkPrefix).toBe(expected[0]?.title.trim());
  });

  test('a malformed line makes the file corrupt and the message names the line', async () => {
    const input = '{"_id":"1","text":"fine"}\n\n{"_id":"2","text": oops}\n{"_id":"3","text":"x"}\n';
    const error = await extractFile(utf8(input), { fileName: 'bad.jsonl' }).catch((e) => e);

    expect(isExtractionError(error) && error.code).toBe('corrupt');
    expect((error as Error).message).toContain('line 3');
  });

  test('other records are flattened to key: value text, one document per line', async () => {
    const input =
      '{"name":"Valve A","specs":{"pressure":"3 bar"},"tags":["brass","inlet"]}\n' +
      '{"name":"Valve B","specs":{"pressure":"5 bar"}}\n';
    const file = await extractFile(utf8(input));

    expect(file.kind).toBe('jsonl');
    expect(file.documents[0]).toEqual({
      title: 'Valve A',
      text: 'name: Valve A\nspecs.pressure: 3 bar\ntags: brass, inlet',
    });
    expect(file.documents[1]?.text).toContain('specs.pressure: 5 bar');
  });
});

describe('JSON', () => {
  test('a JSON file is one document of its values with their keys', async () => {
    const input = JSON.stringify({
      title: 'Pump manual',
      steps: [{ text: 'Open the bleed valve.' }, { text: 'Start the motor.' }],
      pages: 12,
      draft: null,
    });
    const file = await extractFile(utf8(input), { fileName: 'manual.json' });

    expect(file).toMatchObject({ kind: 'json', mediaType: 'application/json' });
    expect(file.documents).toHaveLength(1);
    expect(file.documents[0]?.title).toBe('Pump manual');
    expect(file.documents[0]?.text).toBe(
      'title: Pump manual\n\nsteps.text: Open the bleed valve.\n\nsteps.text: Start the motor.\n\npages: 12',
    );
  });

  test('a damaged file named .json is corrupt rather than indexed as prose', async () => {
    const error = await extractFile(utf8('{"a": [1, 2'), { fileName: 'data.json' }).catch((e) => e);
    expect(isExtractionError(error) && error.code).toBe('corrupt');
  });

  test('JSON holding no text at all has no text', async () => {
    const error = await extractFile(utf8('{"a": null, "b": [], "c": {}}')).catch((e) => e);
    expect(isExtractionError(error) && error.code).toBe('no_text');
  });

  test('absurdly deep nesting is cut off instead of overflowing the stack', async () => {
    const deep = '['.repeat(5000) + '"deep"' + ']'.repeat(5000);
    const error = await extractFile(utf8(`{"name":"top","x":${deep}}`)).then(
      (file) => file.documents[0]?.text,
      (e) => e,
    );
    expect(error).toBe('name: top');
  });
});
