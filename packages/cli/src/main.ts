#!/usr/bin/env node
import { Command, Option } from 'commander';
import { openStore } from '@quarry/store';
import { preferSmallMemory, settingsFromEnv } from '@quarry/server';
import type { QuarryClient, ShareRole } from './client/client.js';
import { connect, localSettings, type ConnectOptions } from './client/connect.js';
import { evaluateCollection, formatEvalTable } from './commands/eval.js';
import { formatIngestReport, ingest } from './commands/ingest.js';
import {
  batchSearch,
  formatSearchTable,
  readQueries,
  writeRun,
  type Mode,
} from './commands/search.js';
import { serve } from './commands/serve.js';
import { UsageError } from './errors.js';

preferSmallMemory();

const modeOption = () =>
  new Option('-m, --mode <mode>', 'hybrid, keyword or semantic')
    .choices(['hybrid', 'keyword', 'semantic'])
    .default('hybrid');

const program = new Command()
  .name('quarry')
  .description('Search your documents by words and by meaning, and ask questions about them.')
  .option('--server <url>', 'talk to this Quarry server (or set QUARRY_SERVER_URL)')
  .option('--api-key <key>', 'API key for the server (or set QUARRY_API_KEY)')
  .option('--data-dir <dir>', 'embedded data folder (default ./.quarry, or QUARRY_DATA_DIR)')
  .showHelpAfterError();

const globals = (): ConnectOptions => program.opts<ConnectOptions>();

async function withClient<T>(run: (client: QuarryClient) => Promise<T>): Promise<T> {
  const client = await connect(globals());
  try {
    return await run(client);
  } finally {
    await client.close();
  }
}

const print = (text: string) => process.stdout.write(`${text}\n`);

program
  .command('serve')
  .description('start the Quarry server (embedded store unless QUARRY_DATABASE_URL is set)')
  .option('--host <host>', 'address to listen on')
  .option('--port <port>', 'port to listen on', (v) => Number.parseInt(v, 10))
  .action(async (options: { host?: string; port?: number }) => {
    const base = localSettings(globals(), {
      ...process.env,
      QUARRY_LOG_LEVEL: process.env.QUARRY_LOG_LEVEL ?? 'info',
    });
    await serve({
      ...base,
      ...(options.host ? { host: options.host } : {}),
      ...(options.port !== undefined ? { port: options.port } : {}),
    });
  });

program
  .command('ingest')
  .description('add files, folders, globs or BEIR JSONL to a project')
  .argument('<paths...>', 'files, folders or glob patterns')
  .requiredOption('-p, --project <name>', 'project name (created if missing)')
  .option('--json', 'print a JSON summary')
  .option('--no-progress', 'no progress bar')
  .action(
    async (paths: string[], options: { project: string; json?: boolean; progress: boolean }) => {
      const report = await withClient((client) =>
        ingest(client, {
          project: options.project,
          paths,
          progress: options.progress && !options.json && process.stderr.isTTY,
        }),
      );
      print(options.json ? JSON.stringify(report, null, 2) : formatIngestReport(report));
      if (report.summary.failed > 0) process.exitCode = 1;
    },
  );

program
  .command('search')
  .description('search a project; with --queries, run a BEIR query file into a TREC run')
  .argument('[query]', 'what to look for')
  .requiredOption('-p, --project <name>', 'project name')
  .addOption(modeOption())
  .option('-n, --limit <n>', 'documents to return', (v) => Number.parseInt(v, 10), 10)
  .option('--offset <n>', 'documents to skip', (v) => Number.parseInt(v, 10), 0)
  .option('--json', 'print JSON')
  .option('--queries <file>', 'BEIR queries.jsonl to run in batch')
  .option('--run <file>', 'where to write the TREC run (batch mode; default stdout)')
  .option('--tag <tag>', 'run tag (batch mode)', 'quarry')
  .action(
    async (
      query: string | undefined,
      o: {
        project: string;
        mode: Mode;
        limit: number;
        offset: number;
        json?: boolean;
        queries?: string;
        run?: string;
        tag: string;
      },
    ) => {
      if (o.queries) {
        const queries = await readQueries(o.queries);
        const run = await withClient((client) =>
          batchSearch(client, { project: o.project, queries, limit: o.limit, mode: o.mode }),
        );
        if (o.run) await writeRun(o.run, run, o.tag);
        else process.stdout.write((await import('@quarry/core')).formatTrecRun(run, o.tag));
        return;
      }
      if (query === undefined)
        throw new UsageError('Give a query, or --queries <file> for batch mode.');
      const response = await withClient((client) =>
        client.search(o.project, { query, mode: o.mode, limit: o.limit, offset: o.offset }),
      );
      print(o.json ? JSON.stringify(response, null, 2) : formatSearchTable(response));
    },
  );

program
  .command('ask')
  .description('answer a question from a project, citing the passages used')
  .argument('<question>')
  .requiredOption('-p, --project <name>', 'project name')
  .addOption(modeOption())
  .option('--json', 'print JSON')
  .action(async (question: string, o: { project: string; mode: Mode; json?: boolean }) => {
    const stream = o.json ? undefined : (text: string) => process.stdout.write(text);
    const result = await withClient((client) =>
      client.ask(o.project, { question, mode: o.mode }, stream),
    );
    if (o.json) {
      print(JSON.stringify(result, null, 2));
      return;
    }
    print('');
    if (result.citations.length > 0) print('\nSources:');
    for (const c of result.citations) {
      const page = c.page ? `, page ${c.page}` : '';
      print(`  [${c.n}] ${c.documentTitle}${page} (characters ${c.start}-${c.end})`);
    }
    print(
      `\n(${result.generator}: ${
        result.grounded ? 'quoted from your documents' : 'nothing relevant found'
      })`,
    );
  });

program
  .command('eval')
  .description('measure retrieval quality on a BEIR folder: nDCG@10, MAP, Recall@100, MRR@10')
  .argument('<dir>', 'folder with corpus.jsonl, queries.jsonl and qrels/')
  .option('-p, --project <name>', 'project to ingest into (default eval-<folder>)')
  .option('-m, --mode <modes...>', 'modes to measure', ['keyword', 'semantic', 'hybrid'])
  .option('--split <name>', 'qrels split', 'test')
  .option('--json', 'print JSON')
  .action(
    async (dir: string, o: { project?: string; mode: Mode[]; split: string; json?: boolean }) => {
      for (const m of o.mode) {
        if (!['hybrid', 'keyword', 'semantic'].includes(m))
          throw new UsageError(`Unknown mode "${m}".`);
      }
      const report = await withClient((client) =>
        evaluateCollection(client, {
          dir,
          project: o.project,
          modes: o.mode,
          split: o.split,
          progress: !o.json && process.stderr.isTTY,
        }),
      );
      print(o.json ? JSON.stringify(report, null, 2) : formatEvalTable(report));
    },
  );

const projects = program.command('projects').description('list, create and delete projects');
projects.command('list').action(async () => {
  const list = await withClient((client) => client.listProjects());
  print(
    list.length === 0
      ? 'No projects yet.'
      : list.map((p) => `${p.slug}\t${p.name}\t${p.id}`).join('\n'),
  );
});
projects
  .command('create')
  .argument('<name>')
  .action(async (name: string) => {
    const project = await withClient((client) => client.ensureProject(name));
    print(`${project.slug}\t${project.id}`);
  });
projects
  .command('delete')
  .argument('<name>')
  .action(async (name: string) => {
    await withClient((client) => client.deleteProject(name));
    print(`Deleted ${name}.`);
  });

projects
  .command('share')
  .description('give an account a role in a project (invites the address when it has none)')
  .argument('<project>')
  .argument('<email>')
  .addOption(
    new Option('-r, --role <role>', 'viewer, editor or owner (hands the project over)')
      .choices(['viewer', 'editor', 'owner'])
      .default('viewer'),
  )
  .action(async (project: string, email: string, options: { role: ShareRole }) => {
    const outcome = await withClient((client) => client.share(project, email, options.role));
    const said: Record<typeof outcome, string> = {
      added: `${email} is now ${options.role} of ${project}.`,
      transferred: `${email} now owns ${project}; you stay on as an editor.`,
      invited: `${email} has no account yet: an invitation to ${project} was e-mailed (or logged).`,
    };
    print(said[outcome]);
  });

const db = program.command('db').description('database maintenance');
db.command('migrate')
  .description('apply pending migrations to the configured store')
  .action(async () => {
    const settings = process.env.QUARRY_DATABASE_URL ? settingsFromEnv() : localSettings(globals());
    const store = await openStore(settings.store);
    try {
      await store.migrate();
      print(`Migrations applied (${store.kind} store).`);
    } finally {
      await store.close();
    }
  });

/** What a file-system error means for a path: one given on the command line, as a rule. */
const fileProblems: Record<string, string> = {
  ENOENT: 'no such file or folder',
  EACCES: 'permission denied',
  EISDIR: 'it is a folder, not a file',
  ENOTDIR: 'part of the path is not a folder',
};

program.parseAsync(process.argv).catch((error: unknown) => {
  const { code, path } = (error ?? {}) as { code?: string; path?: string };
  const fileProblem = code && path ? fileProblems[code] : undefined;
  const message = fileProblem
    ? `${path}: ${fileProblem}.`
    : error instanceof Error
      ? error.message
      : String(error);
  process.stderr.write(`quarry: ${message}\n`);
  if (process.env.QUARRY_DEBUG && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(error instanceof UsageError || fileProblem ? 2 : 1);
});
