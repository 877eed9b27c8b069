import { Writable } from 'node:stream';
import type { InjectOptions, LightMyRequestResponse } from 'fastify';
import { createScratchStoreConfig, type TestStoreKind } from '@quarry/store/test-support';
import { parseSettings, type Settings, type SettingsInput } from '../config/settings.js';
import { createLogger, createQuarry, type Quarry } from '../quarry.js';

export interface TestQuarry {
  quarry: Quarry;
  settings: Settings;
  /**
   * A request to the running app as the local administrator (with the instance's local
   * token), unless the options carry their own authorization header or cookie.
   */
  inject(options: InjectOptions | string): Promise<LightMyRequestResponse>;
  /** Every log line written so far, parsed. */
  logs: Array<Record<string, unknown>>;
  /** Closes and opens Quarry again on the same database, as a restart would. */
  restart(options?: { runWorker?: boolean }): Promise<Quarry>;
  cleanup(): Promise<void>;
}

/** A Quarry on a scratch database of the given kind, with its log lines captured. */
export async function startTestQuarry(
  kind: TestStoreKind,
  overrides: Partial<SettingsInput> = {},
  options: { runWorker?: boolean } = {},
): Promise<TestQuarry> {
  const scratch = await createScratchStoreConfig(kind);
  const settings = parseSettings({
    store: scratch.config,
    logLevel: 'info',
    jobs: { pollIntervalMs: 20 },
    ...overrides,
  });
  const logs: Array<Record<string, unknown>> = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      for (const line of chunk.toString('utf8').split('\n')) {
        if (line.trim()) logs.push(JSON.parse(line) as Record<string, unknown>);
      }
      done();
    },
  });
  const logger = createLogger(settings.logLevel, sink);
  let quarry = await createQuarry(settings, { logger, runWorker: options.runWorker });
  let closed = false;
  return {
    get quarry() {
      return quarry;
    },
    settings,
    logs,
    inject(options) {
      const opts = typeof options === 'string' ? { url: options } : options;
      const headers = { ...(opts.headers ?? {}) };
      if (!headers.authorization && !headers.cookie && !opts.cookies) {
        headers.authorization = `Bearer ${quarry.localToken}`;
      }
      return quarry.http.inject({ ...opts, headers });
    },
    async restart(restartOptions = {}) {
      await quarry.close();
      quarry = await createQuarry(settings, { logger, runWorker: restartOptions.runWorker });
      return quarry;
    },
    async cleanup() {
      if (!closed) await quarry.close();
      closed = true;
      await scratch.drop();
    },
  };
}
