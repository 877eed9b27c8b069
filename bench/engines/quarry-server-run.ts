/**
 * Quarry inside its server: `createQuarry` on a fresh store (embedded PGlite in a temporary
 * folder, or a new database on the local PostgreSQL), the workload's JSON Lines files
 * uploaded through the ingest service one at a time while the worker runs, then `drain()`
 * until every job (extract → chunk → analyze → store → LSA fit → embed) is done, and
 * `settle()` until the search index built after the last fit is complete (reported on its
 * own). Queries go through the search service, as an HTTP request would after parsing; the
 * first one, which builds the index if nothing has yet, is reported on its own too. On
 * PostgreSQL, pgvector's HNSW index serves the vectors and the process keeps only the
 * keyword index; the peak RSS is this process's, PostgreSQL's own memory is not in it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { count, eq } from 'drizzle-orm';
import {
  createLogger,
  createQuarry,
  LOCAL_ADMIN,
  parseSettings,
  preferSmallMemory,
} from '@quarry/server';
import { chunks } from '@quarry/store';
// The store's test helpers are source only, outside its build; this file alone is compiled.
import { createScratchStoreConfig } from '../../packages/store/src/test-support/scratch.js';
import { peakRssMb } from '../result.js';
import { corpusFiles } from '../workload.js';
import { perSecond, runEngine, timed, timeQueries } from './engine.js';

const PROJECT = 'bench';
const LIMIT = 10;

const currentRssMb = () => process.memoryUsage().rss / 1024 / 1024;

/** Sums the timings the worker logs, so ingest time can be split into its parts. */
function jobTimings() {
  const totals = { fits: 0, fitMs: 0, fitTotalMs: 0, filesIndexed: 0 };
  const sink = new Writable({
    write(data: Buffer, _encoding, done) {
      for (const line of data.toString('utf8').split('\n')) {
        if (!line.trim()) continue;
        const entry = JSON.parse(line) as { msg?: string; fitMs?: number; totalMs?: number };
        if (entry.msg === 'embedding model fitted') {
          totals.fits += 1;
          totals.fitMs += entry.fitMs ?? 0;
          totals.fitTotalMs += entry.totalMs ?? 0;
        } else if (entry.msg === 'file indexed') {
          totals.filesIndexed += 1;
        }
      }
      done();
    },
  });
  return { totals, sink };
}

/** Runs the server engine on `store`: the embedded default, or PostgreSQL with pgvector. */
export function runServerEngine(store: 'embedded' | 'postgres'): Promise<void> {
  // As the `quarry` command runs it.
  preferSmallMemory();
  return runEngine(async ({ dir, meta, dimension }) => {
    const scratch = await createScratchStoreConfig(store === 'embedded' ? 'pglite' : 'postgres');
    try {
      const settings = parseSettings({
        store: scratch.config,
        logLevel: 'info',
        ...(dimension ? { embedding: { dimension } } : {}),
      });
      const timings = jobTimings();
      const quarry = await createQuarry(settings, {
        logger: createLogger('info', timings.sink),
        runWorker: true,
      });
      // A fresh store runs initdb, PGlite's memory peak; this separates it from ingestion's.
      const peakAfterStartMb = peakRssMb();
      const rssAfterStartMb = currentRssMb();
      await quarry.projects.create(LOCAL_ADMIN, { name: PROJECT });
      // One file per request, read as it is sent, as a client uploading a folder does.
      const [, uploadMs] = await timed(async () => {
        for (const file of corpusFiles(dir)) {
          const upload = { name: path.basename(file), bytes: readFileSync(file) };
          await quarry.ingest.upload(LOCAL_ADMIN, PROJECT, [upload]);
        }
      });
      const [, drainMs] = await timed(() => quarry.drain());
      const ingestMs = uploadMs + drainMs;
      const rssAfterIngestMb = currentRssMb();
      // A refit near the end leaves the search index's new semantic side building in the
      // background; queries are timed on the finished index.
      const [, settleMs] = await timed(() => quarry.settle());

      const [row] = await quarry.store.db.select({ n: count() }).from(chunks);
      const chunkCount = row?.n ?? 0;
      const project = await quarry.projects.get(LOCAL_ADMIN, PROJECT);
      const stored = await quarry.store.db
        .select({ n: count() })
        .from(chunks)
        .where(eq(chunks.projectId, project.id));
      if (stored[0]?.n !== chunkCount) throw new Error('chunks outside the benchmark project');

      const search = (mode: 'keyword' | 'hybrid') => async (query: string) => {
        const response = await quarry.search.search(LOCAL_ADMIN, PROJECT, {
          query,
          mode,
          limit: LIMIT,
        });
        return response.hits.length;
      };
      const [, firstQueryMs] = await timed(() => search('hybrid')(meta.measured[0]!.text));
      const rssAfterIndexLoadMb = currentRssMb();
      const keyword = await timeQueries(meta, search('keyword'));
      const hybrid = await timeQueries(meta, search('hybrid'));
      const rss = peakRssMb();
      await quarry.close();

      return {
        engine: store === 'embedded' ? 'quarry-server' : 'quarry-postgres',
        label: store === 'embedded' ? 'Quarry (server)' : 'Quarry (server, PostgreSQL)',
        documents: meta.documents,
        units: chunkCount,
        unitName: 'chunks',
        ingestMs,
        ingestPerSecond: perSecond(chunkCount, ingestMs),
        phases: {
          uploadMs,
          drainMs,
          lsaFits: timings.totals.fits,
          lsaFitMs: timings.totals.fitMs,
          lsaFitAndStoreVectorsMs: timings.totals.fitTotalMs,
          filesIndexed: timings.totals.filesIndexed,
          settleMs,
          firstQueryMs,
          searchableChunksPerSecond: perSecond(chunkCount, ingestMs + settleMs + firstQueryMs),
          peakAfterStartMb,
          rssAfterStartMb,
          rssAfterIngestMb,
          rssAfterIndexLoadMb,
          lsaDimension: settings.embedding.dimension,
        },
        keyword,
        hybrid,
        peakRssMb: rss,
      };
    } finally {
      await scratch.drop();
    }
  });
}
