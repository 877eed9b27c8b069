/**
 * Quarry inside its server: `createQuarry` on a fresh store (embedded PGlite in a temporary
 * folder, or a new database on the local PostgreSQL), the workload's JSON Lines files
 * uploaded through the ingest service, then `drain()` until every job (extract → chunk →
 * analyze → store → LSA fit → embed) is done. Queries go through the search service, as an
 * HTTP request would after parsing. The first query builds the in-memory index from the
 * database and is reported on its own. On PostgreSQL, pgvector's HNSW index serves the
 * vectors and the process keeps only the keyword index; the peak RSS is this process's,
 * PostgreSQL's own memory is not in it.
 */
import { Writable } from 'node:stream';
import { count, eq } from 'drizzle-orm';
import { createLogger, createQuarry, LOCAL_ADMIN, parseSettings } from '@quarry/server';
import { chunks } from '@quarry/store';
import { createScratchStoreConfig } from '@quarry/store/test-support';
import { peakRssMb } from '../result.js';
import { readCorpusFiles } from '../workload.js';
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
  return runEngine(async ({ dir, meta, documents, dimension }) => {
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
      const files = readCorpusFiles(dir);

      const [, uploadMs] = await timed(() => quarry.ingest.upload(LOCAL_ADMIN, PROJECT, files));
      const [, drainMs] = await timed(() => quarry.drain());
      const ingestMs = uploadMs + drainMs;
      const rssAfterIngestMb = currentRssMb();

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
        documents: documents.length,
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
          firstQueryMs,
          searchableChunksPerSecond: perSecond(chunkCount, ingestMs + firstQueryMs),
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
