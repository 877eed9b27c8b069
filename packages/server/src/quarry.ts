import { hostname } from 'node:os';
import { readFileSync } from 'node:fs';
import { pino, type Logger } from 'pino';
import { englishAnalyzer } from '@quarry/core';
import { openStore, type Store } from '@quarry/store';
import { createAccountsService, type AccountsService } from './accounts/accounts.service.js';
import { accountsRoutes } from './accounts/accounts.routes.js';
import { createKeysService, type KeysService } from './accounts/keys.service.js';
import { newSecret } from './accounts/secrets.js';
import { auditRoutes } from './audit/audit.routes.js';
import { LOCAL_ADMIN } from './caller.js';
import { SettingsError, type Settings } from './config/settings.js';
import { createAnswersService, type AnswersService } from './answers/answers.service.js';
import { answersRoutes } from './answers/answers.routes.js';
import { createDocumentsService, type DocumentsService } from './documents/documents.service.js';
import { documentsRoutes } from './documents/documents.routes.js';
import { createEmbeddingService } from './embeddings/embedding.service.js';
import { healthRoutes } from './health/health.routes.js';
import { systemRoutes } from './health/system.routes.js';
import { installAuthentication } from './http/authenticate.js';
import { createMailer } from './mail/mailer.js';
import { createMembersService, type MembersService } from './members/members.service.js';
import { membersRoutes } from './members/members.routes.js';
import { API_PREFIX, createHttpApp, type HttpApp } from './http/app.js';
import { FileEvents } from './ingest/file-events.js';
import { filesRoutes } from './ingest/files.routes.js';
import { createIngestHandler } from './ingest/ingest.pipeline.js';
import { createIngestService, type IngestService } from './ingest/ingest.service.js';
import { connectBroker, type JobBroker } from './jobs/broker.js';
import { createDatabaseJobQueue, type JobQueue } from './jobs/job-queue.js';
import { startOutboxRelay, type OutboxRelay } from './jobs/outbox-relay.js';
import { startWorker, type Worker } from './jobs/worker.js';
import { createProjectsService, type ProjectsService } from './projects/projects.service.js';
import { projectsRoutes } from './projects/projects.routes.js';
import { SearchIndexCache } from './search/search-index-cache.js';
import { createSearchService, type SearchService } from './search/search.service.js';
import { searchRoutes } from './search/search.routes.js';
import { isWebBuild, webRoutes } from './web/web.routes.js';

/** Redacted from every log line; the list grows with accounts and keys. */
export const REDACTED_LOG_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'headers.authorization',
  'password',
  '*.password',
  'token',
  '*.token',
  'secret',
  '*.secret',
  '*.currentPassword',
  '*.newPassword',
  'req.headers["x-csrf-token"]',
  'res.headers["set-cookie"]',
];

/**
 * Links in e-mails carry their token in the query string, and opening one sends it to this
 * server, whose request log line records the URL: the token's value is dropped from it.
 */
const SECRET_QUERY_PARAMS = /([?&]token=)[^&#]*/gi;

interface LoggedRequest {
  method: string;
  url: string;
  host?: string;
  ip?: string;
  socket?: { remotePort?: number };
}

export function createLogger(level: Settings['logLevel'], destination?: pino.DestinationStream) {
  return pino(
    {
      level,
      redact: { paths: REDACTED_LOG_PATHS, censor: '[redacted]' },
      // Fastify's own request serializer, but for the URL.
      serializers: {
        req: (req: LoggedRequest) => ({
          method: req.method,
          url: req.url.replace(SECRET_QUERY_PARAMS, '$1[redacted]'),
          host: req.host,
          remoteAddress: req.ip,
          remotePort: req.socket?.remotePort,
        }),
      },
    },
    destination,
  );
}

/** Everything a running Quarry instance is made of. One composition root builds it. */
export interface Quarry {
  settings: Settings;
  store: Store;
  log: Logger;
  projects: ProjectsService;
  accounts: AccountsService;
  keys: KeysService;
  members: MembersService;
  ingest: IngestService;
  documents: DocumentsService;
  search: SearchService;
  answers: AnswersService;
  queue: JobQueue;
  worker: Worker | undefined;
  http: HttpApp;
  /**
   * A bearer secret that acts as the local administrator, made anew at each start. `quarry
   * serve` writes it into the data directory (readable by its owner only) for the CLI.
   */
  localToken: string;
  /** Waits until every queued job has run (tests and the CLI's `ingest` use it). */
  drain(): Promise<void>;
  /**
   * Waits as `drain` does, then until every search index being built is complete: the
   * steady state that benchmarks measure.
   */
  settle(): Promise<void>;
  close(): Promise<void>;
}

function packageVersion(): string {
  const url = new URL('../package.json', import.meta.url);
  return (JSON.parse(readFileSync(url, 'utf8')) as { version: string }).version;
}

export async function createQuarry(
  settings: Settings,
  options: { logger?: Logger; runWorker?: boolean } = {},
): Promise<Quarry> {
  const log = options.logger ?? createLogger(settings.logLevel);
  if (settings.broker.url && settings.store.kind === 'embedded') {
    throw new SettingsError([
      'broker.url (QUARRY_AMQP_URL): a message broker needs server mode; set ' +
        'QUARRY_DATABASE_URL too, or leave the broker out (embedded mode polls its database).',
    ]);
  }
  const store = await openStore(settings.store);
  let started = false;
  try {
    await store.migrate();
  } catch (error) {
    await store.close();
    throw error;
  }
  const { db } = store;
  const analyzer = englishAnalyzer;
  const events = new FileEvents();
  const queue = createDatabaseJobQueue(db, {
    lockTimeoutMs: settings.jobs.lockTimeoutMs,
    outbox: Boolean(settings.broker.url),
  });
  let worker: Worker | undefined;
  let broker: JobBroker | undefined;
  let relay: OutboxRelay | undefined;
  if (settings.broker.url) {
    broker = await connectBroker({
      url: settings.broker.url,
      queue: settings.broker.queue,
      log: log.child({ component: 'broker' }),
    });
    relay = startOutboxRelay({
      db,
      broker,
      log: log.child({ component: 'outbox' }),
      pollIntervalMs: settings.jobs.pollIntervalMs,
    });
  }
  /** Work was committed: run it here, and tell the other processes through the broker. */
  const workAccepted = () => {
    worker?.wake();
    relay?.wake();
  };

  const searchIndexes = new SearchIndexCache({
    db,
    analyzer,
    bm25: settings.bm25,
    storeKind: store.kind,
  });
  const embeddings = createEmbeddingService({
    db,
    queue,
    analyzer,
    dimension: settings.embedding.dimension,
    onModelChanged: (projectId) => searchIndexes.refresh(projectId),
    onRefitStarting: (projectId) => searchIndexes.releaseVectors(projectId),
    vectorIndex: store,
    wakeWorker: workAccepted,
  });
  searchIndexes.setEmbeddings(embeddings);

  const projects = createProjectsService({
    db,
    // One process holds an embedded store, so every change passes through (and clears) it.
    cacheAccess: store.kind === 'embedded',
    onRemoved: (projectId) => {
      searchIndexes.invalidate(projectId);
      embeddings.forget(projectId);
    },
  });
  const mailer = createMailer(settings.mail, log.child({ component: 'mail' }));
  const accounts = createAccountsService({
    db,
    settings,
    mailer,
    onAccessChanged: () => projects.invalidate(),
  });
  const keys = createKeysService({ db, onAccessChanged: () => projects.invalidate() });
  const members = createMembersService({ db, projects, mailer, settings });
  const localToken = newSecret('ql').secret;
  const ingest = createIngestService({
    db,
    queue,
    projects,
    events,
    maxFileBytes: settings.limits.maxFileBytes,
    onAccepted: workAccepted,
  });
  const documents = createDocumentsService({
    db,
    projects,
    onChunksRemoved: (projectId, ids) => searchIndexes.removeChunks(projectId, ids),
  });
  const search = createSearchService({ db, projects, searchIndexes, analyzer });
  const answers = createAnswersService({ search, analyzer });

  const ingestFile = createIngestHandler({
    db,
    analyzer,
    chunking: settings.chunking,
    limits: settings.limits,
    events,
    embeddings,
    searchIndexes,
  });

  const version = packageVersion();
  const http = await createHttpApp({
    logger: log,
    maxFileBytes: settings.limits.maxFileBytes,
    maxFilesPerUpload: settings.limits.maxFilesPerUpload,
    version,
  });
  await installAuthentication(http, { accounts, keys, settings, localToken });
  await http.register(healthRoutes({ db, isStarted: () => started }));
  await http.register(
    async (api) => {
      await api.register(accountsRoutes({ accounts, keys, settings }));
      await api.register(projectsRoutes(projects));
      await api.register(membersRoutes(members));
      await api.register(auditRoutes({ db, projects }));
      await api.register(
        systemRoutes({
          db,
          version,
          storeKind: store.kind,
          broker: Boolean(settings.broker.url),
          isStarted: () => started,
        }),
      );
      await api.register(
        filesRoutes({
          ingest,
          documents,
          projects,
          events,
          queue,
          maxFileBytes: settings.limits.maxFileBytes,
        }),
      );
      await api.register(documentsRoutes(documents));
      await api.register(searchRoutes(search));
      await api.register(answersRoutes(answers));
    },
    { prefix: API_PREFIX },
  );
  if (settings.web.dir) {
    if (isWebBuild(settings.web.dir)) await http.register(webRoutes(settings.web.dir));
    else log.warn({ dir: settings.web.dir }, 'no built web app there; serving the API only');
  }
  await http.ready();

  // In embedded mode this process holds the store's lock, so anything still marked running
  // was interrupted by a crash and is safe to resume.
  if (store.kind === 'embedded') {
    const resumed = await queue.recoverInterrupted();
    if (resumed > 0) log.info({ resumed }, 'resuming interrupted jobs');
  }
  if (options.runWorker ?? settings.jobs.runWorker) {
    worker = startWorker({
      queue,
      log: log.child({ component: 'worker' }),
      pollIntervalMs: settings.jobs.pollIntervalMs,
      workerId: `${hostname()}:${process.pid}`,
      handlers: {
        ingest_file: ingestFile,
        fit_embeddings: (job, jobLog) => embeddings.fitHandler(job, jobLog),
      },
    });
    const running = worker;
    await broker?.consume(() => running.wake());
  }
  started = true;

  return {
    settings,
    store,
    log,
    projects,
    accounts,
    keys,
    members,
    ingest,
    documents,
    search,
    answers,
    queue,
    worker,
    http,
    localToken,
    async drain() {
      if (worker) await worker.drain();
    },
    async settle() {
      if (worker) await worker.drain();
      await searchIndexes.settled();
    },
    async close() {
      await worker?.stop();
      await relay?.stop();
      await broker?.close();
      await http.close();
      await store.close();
    },
  };
}

export { LOCAL_ADMIN };
