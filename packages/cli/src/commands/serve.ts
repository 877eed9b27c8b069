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
  let address: string;
  try {
    address = await quarry.http.listen({ host: settings.host, port: settings.port });
  } catch (error) {
    // The reason it could not listen matters more than any trouble closing.
    await quarry.close().catch(() => {});
    throw listenError(error, settings);
  }
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

/** Why the server could not listen, in words that say which setting to change. */
function listenError(error: unknown, settings: Settings): Error {
  const otherHost =
    'set QUARRY_HOST (--host) to an address of this machine, such as 127.0.0.1 or 0.0.0.0.';
  const reasons: Record<string, string> = {
    EADDRINUSE:
      'the port is in use: stop what serves there or choose another QUARRY_PORT (--port).',
    EACCES: 'this process may not use that port: choose a QUARRY_PORT (--port) above 1023.',
    EADDRNOTAVAIL: `the host is not an address of this machine: ${otherHost}`,
    ENOTFOUND: `the host is not a name or address this machine knows: ${otherHost}`,
    EAI_AGAIN: `the host name could not be looked up: ${otherHost}`,
  };
  const code = (error as { code?: string }).code;
  const reason = code ? reasons[code] : undefined;
  if (!reason) return error as Error;
  return new Error(`Cannot listen on ${settings.host}:${settings.port}: ${reason}`, {
    cause: error,
  });
}
