import { readFile } from 'node:fs/promises';
import { serverFilePath, settingsFromEnv, type Settings } from '@quarry/server';
import type { QuarryClient } from './client.js';
import { openHttpClient } from './http-client.js';
import { openLocalClient } from './local-client.js';

export interface ConnectOptions {
  server?: string;
  apiKey?: string;
  dataDir?: string;
}

export function localSettings(options: ConnectOptions, env = process.env): Settings {
  const overrides = options.dataDir
    ? { store: { kind: 'embedded' as const, dataDir: options.dataDir } }
    : {};
  return settingsFromEnv({ QUARRY_LOG_LEVEL: 'warn', ...env }, overrides);
}

async function isAlive(url: string): Promise<boolean> {
  try {
    const response = await fetch(new URL('/healthz', url), { signal: AbortSignal.timeout(1_500) });
    return response.ok;
  } catch {
    return false;
  }
}

/**
 * The address and local-administrator token a `quarry serve` on this data directory wrote,
 * if that server still answers.
 */
async function runningServer(
  settings: Settings,
): Promise<{ url: string; token?: string } | undefined> {
  if (settings.store.kind !== 'embedded') return undefined;
  try {
    const info = JSON.parse(await readFile(serverFilePath(settings.store.dataDir), 'utf8')) as {
      url?: string;
      token?: string;
    };
    if (info.url && (await isAlive(info.url))) return { url: info.url, token: info.token };
  } catch {
    // No server file: nobody is serving this data directory.
  }
  return undefined;
}

/**
 * A configured server (`--server` or QUARRY_SERVER_URL) wins; otherwise a server already
 * serving the local data directory; otherwise the embedded store is opened in this process.
 */
export async function connect(options: ConnectOptions, env = process.env): Promise<QuarryClient> {
  const apiKey = options.apiKey ?? env.QUARRY_API_KEY;
  const configured = options.server ?? env.QUARRY_SERVER_URL;
  if (configured) return openHttpClient(configured, apiKey);
  const settings = localSettings(options, env);
  const found = await runningServer(settings);
  if (found) return openHttpClient(found.url, apiKey ?? found.token);
  return openLocalClient(settings);
}
