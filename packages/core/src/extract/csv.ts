import { parse } from 'csv-parse/sync';

import type { ExtractedDocument } from '../types.js';
import { corrupt, noText } from './errors.js';

const DELIMITERS = [',', '\t', ';', '|'];

/** Delimiter detection parses at most this much of the file. */
const SNIFF_CHARS = 64 * 1024;

/** Records compared when deciding whether a file without a `.csv` name is a table. */
const SNIFF_RECORDS = 50;

/**
 * The delimiter under which the opening records form a table: at least `minRecords`
 * records (header included), all with the same number of columns, two or more. Returns
 * `undefined` when no delimiter gives such a table.
 */
export function detectDelimiter(text: string, minRecords = 3): string | undefined {
  let sample = text.length > SNIFF_CHARS ? text.slice(0, SNIFF_CHARS) : text;
  // A cut sample ends mid-record; drop the partial last line.
  if (sample.length < text.length) sample = sample.slice(0, sample.lastIndexOf('\n') + 1);

  for (const delimiter of DELIMITERS) {
    if (!sample.includes(delimiter)) continue;
    let records: string[][];
    try {
      records = parse(sample, {
        delimiter,
        bom: true,
        skip_empty_lines: true,
        relax_column_count: true,
        to: SNIFF_RECORDS,
      });
    } catch {
      continue;
    }

    const width = records[0]?.length ?? 0;
    if (width < 2 || records.length < minRecords) continue;
    if (records.every((record) => record.length === width)) return delimiter;
  }
  return undefined;
}

/**
 * One document for the whole table. Each data record is one paragraph ("name: value;
 * name: value"), paragraphs are separated by a blank line so a paragraph-aware chunker
 * never splits a record, and the header row is the `chunkPrefix`, so every chunk says
 * what its columns mean. Line breaks inside a cell become spaces for the same reason.
 */
export function extractCsv(text: string, delimiter: string): ExtractedDocument {
  let header: string[] | undefined;
  let rows: string[];

  try {
    rows = parse(text, {
      delimiter,
      bom: true,
      skip_empty_lines: true,
      relax_column_count: true,
      relax_quotes: true,
      // Rendering each record as it is parsed keeps one string per record in memory
      // rather than an array of cells (wrapped in an array, as the typings require).
      on_record: (record: string[]) => {
        if (header === undefined) {
          header = record.map((name) => oneLine(name));
          return null;
        }
        return [renderRecord(record, header)];
      },
    }).map((rendered) => rendered[0] ?? '');
  } catch (error) {
    const line = (error as { lines?: number }).lines;
    throw corrupt('csv', line ? `the table breaks at line ${line}` : undefined, error);
  }

  const records = rows.filter((row) => row.length > 0);
  if (records.length === 0) {
    // A single row has nothing to describe: it is data, not a header.
    const only = (header ?? []).filter(Boolean).join(', ');
    if (!only) throw noText('csv');
    return { text: only };
  }

  const chunkPrefix = (header ?? []).filter(Boolean).join(', ');
  const document: ExtractedDocument = { text: records.join('\n\n') };
  if (chunkPrefix) document.chunkPrefix = chunkPrefix;
  return document;
}

function renderRecord(record: string[], header: string[]): string {
  const fields: string[] = [];
  record.forEach((raw, i) => {
    const value = oneLine(raw);
    if (!value) return;
    const name = header[i] || `column ${i + 1}`;
    fields.push(`${name}: ${value}`);
  });
  return fields.join('; ');
}

function oneLine(value: string): string {
  return value.replace(/\s+/g, ' ').trim();
}
