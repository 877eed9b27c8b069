import { describe, expect, it } from 'vitest';
import { parseSettings, settingsFromEnv, SettingsError } from './settings.js';

/** The error `settingsFromEnv` throws for `env`. */
function settingsError(env: Record<string, string>): SettingsError {
  try {
    settingsFromEnv(env);
  } catch (error) {
    expect(error).toBeInstanceOf(SettingsError);
    return error as SettingsError;
  }
  throw new Error('the settings were accepted');
}

describe('settings', () => {
  it('defaults to the embedded store under ./.quarry with no external service', () => {
    const settings = settingsFromEnv({});
    expect(settings.store).toEqual({
      kind: 'embedded',
      dataDir: expect.stringMatching(/\.quarry$/),
    });
    expect(settings.port).toBe(7700);
    expect(settings.bm25).toEqual({ k1: 0.9, b: 0.4 });
  });

  it('sizes the embedded page cache from the environment, and refuses a nonsense size', () => {
    expect(settingsFromEnv({ QUARRY_DB_CACHE_MB: '64' }).store).toMatchObject({
      kind: 'embedded',
      cacheMb: 64,
    });
    expect(() => settingsFromEnv({ QUARRY_DB_CACHE_MB: '0' })).toThrow(/cacheMb|CACHE/);
  });

  it('switches to PostgreSQL with pool settings when a database URL is given', () => {
    const settings = settingsFromEnv({
      QUARRY_DATABASE_URL: 'postgres://u:p@127.0.0.1:5432/quarry',
      QUARRY_DB_POOL_MAX: '4',
      QUARRY_DB_STATEMENT_TIMEOUT_MS: '1500',
    });
    expect(settings.store).toMatchObject({
      kind: 'postgres',
      pool: { max: 4, statementTimeoutMs: 1500, idleTimeoutMs: 30_000 },
    });
  });

  it('reads chunking and BM25 parameters from the environment', () => {
    const settings = settingsFromEnv({
      QUARRY_CHUNK_TARGET_CHARS: '800',
      QUARRY_CHUNK_MAX_CHARS: '1000',
      QUARRY_BM25_K1: '1.2',
      QUARRY_BM25_B: '0.75',
    });
    expect(settings.chunking).toMatchObject({ targetChars: 800, maxChars: 1000 });
    expect(settings.bm25).toEqual({ k1: 1.2, b: 0.75 });
  });

  it('reports every invalid setting at once', () => {
    const error = settingsError({
      QUARRY_PORT: 'eighty',
      QUARRY_MAX_PAGES: '2.5',
      QUARRY_BM25_B: 'x',
    });
    expect(error.problems).toHaveLength(3);
    expect(error.message).toMatch(/QUARRY_PORT.*\n.*QUARRY_MAX_PAGES.*\n.*QUARRY_BM25_B/s);
  });

  it('reports values that are not numbers and values out of range together, by variable', () => {
    const { problems } = settingsError({
      QUARRY_PORT: 'abc',
      QUARRY_BM25_K1: '-1',
      QUARRY_BM25_B: '2',
    });
    expect(problems).toHaveLength(3);
    expect(problems[0]).toBe('QUARRY_PORT: expected a number, got "abc"');
    expect(problems[1]).toMatch(/^QUARRY_BM25_K1: .*>=0/);
    expect(problems[2]).toMatch(/^QUARRY_BM25_B: .*<=1/);
  });

  it('refuses values out of range with the key that is wrong', () => {
    expect(() =>
      parseSettings({
        store: { kind: 'embedded', dataDir: '/tmp/x' },
        port: 70_000,
        chunking: { targetChars: 3_000, maxChars: 2_000, overlapChars: 0 },
      }),
    ).toThrow(/port[\s\S]*chunking/);
  });
});
