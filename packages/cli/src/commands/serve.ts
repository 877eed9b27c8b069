import { mkdir, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createQuarry, serverFilePath, type Settings } from '@quarry/server';

/** The web app built inside this installation (`npm run build -w @quarry/web`). */
export function bundledWebDir(): string {
  const manifest = createRequire(import.meta.url).resolve('@quarry/web/package.json');
  return join(dirname(manifest), 'dist');
}

/** Runs the server until SIGINT or SIGTERM, then closes the store cleanly. */
export async function serve(settings: Settings): Promise<void> {
  const quarry = await createQuarry({
    ...settings,
    web: { dir: settings.web.dir ?? bundledWebDir() },
  });
  const address = await quarry.http.listen({ host: settings.host, port: settings.port });
  const url = address.replace('0.0.0.0', '127.0.0.1');
  const infoFile =
    settings.store.kind === 'embedded' ? serverFilePath(settings.store.dataDir) : undefined;
  if (infoFile && settings.store.kind === 'embedded') {
    await mkdir(settings.store.dataDir, { recursive: true });
    // Lets `quarry search` and friends find this server instead of opening the locked store,
    // and act as the local administrator there: only this account can read the file.
    await writeFile(infoFile, JSON.stringify({ url, pid: process.pid, token: quarry.localToken }), {
      mode: 0o600,
    });
  }
  quarry.log.info({ url, docs: `${url}/docs`, store: settings.store.kind }, 'Quarry is ready');
  process.stderr.write(`Quarry is serving on ${url} (API docs: ${url}/docs)\n`);

  let closing = false;
  const shutdown = async (signal: string) => {
    if (closing) return;
    closing = true;
    quarry.log.info({ signal }, 'shutting down');
    if (infoFile) await rm(infoFile, { force: true });
    await quarry.close();
    process.exit(0);
  };
  process.on('SIGINT', () => void shutdown('SIGINT'));
  process.on('SIGTERM', () => void shutdown('SIGTERM'));
}
