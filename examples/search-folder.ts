/**
 * Indexes a folder of text files (`.txt`, `.md`) and runs one query, the way a notebook
 * would: split each file into paragraph chunks, analyze them, fit the LSA embedder on the
 * folder's own chunks when there are enough of them, and search.
 *
 *   npx tsx --conditions=quarry-source examples/search-folder.ts --dir docs --query "fusion"
 */
import { readdir, readFile } from 'node:fs/promises';
import { extname, join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';

import {
  ExactVectorIndex,
  LsaEmbedder,
  SearchIndex,
  englishAnalyzer,
  fitLsaModel,
  lsaRefitDue,
} from '@quarry/core';
import type { SearchMode } from '@quarry/core';

/** A chunk of a file: the unit that is indexed and returned. */
export interface FolderChunk {
  file: string;
  text: string;
}

export interface FolderHit extends FolderChunk {
  score: number;
}

export interface FolderSearchResult {
  chunks: number;
  semantic: boolean;
  hits: FolderHit[];
}

/** Paragraphs are merged until a chunk reaches about this many characters. */
const CHUNK_CHARS = 800;

export async function main(args: string[] = []): Promise<FolderSearchResult> {
  const { values } = parseArgs({
    args,
    options: {
      dir: { type: 'string', default: '.' },
      query: { type: 'string', default: '' },
      mode: { type: 'string', default: 'hybrid' },
      limit: { type: 'string', default: '5' },
    },
  });
  const chunks = await readChunks(values.dir);
  const terms = chunks.map((chunk) => englishAnalyzer.analyze(chunk.text));

  // LSA needs enough chunks to learn co-occurrences; small folders search by keyword only.
  const semantic = lsaRefitDue(undefined, chunks.length);
  const model = semantic ? fitLsaModel(terms, { analyzerId: englishAnalyzer.id }) : undefined;
  const embedder = model ? new LsaEmbedder(model, englishAnalyzer) : undefined;
  const index = new SearchIndex({
    vectors: embedder ? new ExactVectorIndex(embedder.dimension) : undefined,
    embedder,
  });
  terms.forEach((chunkTerms, id) => index.add(id, chunkTerms, model?.embedTerms(chunkTerms)));

  const mode = (semantic ? values.mode : 'keyword') as SearchMode;
  const hits = await index.search(values.query, { mode, limit: Number(values.limit) });
  const result = {
    chunks: chunks.length,
    semantic,
    hits: hits.map((hit) => ({ ...chunks[hit.id]!, score: hit.score })),
  };

  console.log(`${chunks.length} chunks, ${semantic ? 'hybrid' : 'keyword-only'} search`);
  for (const hit of result.hits) {
    const preview = hit.text.replace(/\s+/g, ' ').slice(0, 100);
    console.log(`${hit.score.toFixed(3)}  ${relative(values.dir, hit.file)}  ${preview}`);
  }
  return result;
}

/** Reads every text file under `dir` and splits it into chunks of whole paragraphs. */
export async function readChunks(dir: string): Promise<FolderChunk[]> {
  const chunks: FolderChunk[] = [];
  for (const file of await listTextFiles(dir)) {
    const paragraphs = (await readFile(file, 'utf8')).split(/\n\s*\n/);
    let current = '';
    for (const paragraph of paragraphs) {
      if (current !== '' && current.length + paragraph.length > CHUNK_CHARS) {
        chunks.push({ file, text: current });
        current = '';
      }
      current = current === '' ? paragraph : `${current}\n\n${paragraph}`;
    }
    if (current.trim() !== '') chunks.push({ file, text: current });
  }
  return chunks;
}

async function listTextFiles(dir: string): Promise<string[]> {
  const files: string[] = [];
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory() && !entry.name.startsWith('.') && entry.name !== 'node_modules') {
      files.push(...(await listTextFiles(path)));
    } else if (entry.isFile() && ['.txt', '.md'].includes(extname(entry.name))) {
      files.push(path);
    }
  }
  return files.sort();
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  await main(process.argv.slice(2));
}
