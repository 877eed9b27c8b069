import { and, desc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { apiKeys, users, type ApiKeyRow, type ApiKeyScope, type Database } from '@quarry/store';
import { requireScope } from '../access/access.js';
import { recordAudit } from '../audit/audit.service.js';
import type { Caller } from '../caller.js';
import { QuarryError } from '../errors/catalogue.js';
import { hashSecret, newSecret } from './secrets.js';

/** How stale `last_used_at` may get before a request writes it again. */
const LAST_USED_RESOLUTION_MS = 60_000;

export interface ApiKeyDto {
  id: string;
  name: string;
  prefix: string;
  scopes: ApiKeyScope[];
  createdAt: Date;
  lastUsedAt: Date | null;
  revokedAt: Date | null;
}

const toDto = (row: ApiKeyRow): ApiKeyDto => ({
  id: row.id,
  name: row.name,
  prefix: row.prefix,
  scopes: row.scopes,
  createdAt: row.createdAt,
  lastUsedAt: row.lastUsedAt,
  revokedAt: row.revokedAt,
});

export interface KeysService {
  list(caller: Caller): Promise<ApiKeyDto[]>;
  /** The secret is returned here once and never again. */
  create(
    caller: Caller,
    input: { name: string; scopes: ApiKeyScope[] },
  ): Promise<{ key: ApiKeyDto; secret: string }>;
  revoke(caller: Caller, keyId: string): Promise<void>;
  /** The caller a bearer key stands for, or null when it is unknown, revoked or disabled. */
  resolve(secret: string): Promise<Caller | null>;
}

export function createKeysService(deps: {
  db: Database;
  onAccessChanged: () => void;
}): KeysService {
  const { db } = deps;

  /** Keys are managed by their owner, signed in or with an `admin`-scoped key. */
  function owner(caller: Caller): string {
    requireScope(caller, 'admin');
    return caller.userId!;
  }

  return {
    async list(caller) {
      const rows = await db
        .select()
        .from(apiKeys)
        .where(eq(apiKeys.userId, owner(caller)))
        .orderBy(desc(apiKeys.createdAt));
      return rows.map(toDto);
    },

    async create(caller, input) {
      const userId = owner(caller);
      const { secret, hash } = newSecret('qk');
      return db.transaction(async (tx) => {
        const [row] = await tx
          .insert(apiKeys)
          .values({
            userId,
            name: input.name.trim(),
            prefix: secret.slice(0, 10),
            secretHash: hash,
            scopes: [...new Set(input.scopes)],
          })
          .returning();
        await recordAudit(tx, caller, {
          action: 'key.create',
          target: { type: 'key', id: row!.id },
          details: { name: row!.name, scopes: row!.scopes },
        });
        return { key: toDto(row!), secret };
      });
    },

    async revoke(caller, keyId) {
      const userId = owner(caller);
      await db.transaction(async (tx) => {
        const [row] = await tx
          .update(apiKeys)
          .set({ revokedAt: sql`now()` })
          .where(and(eq(apiKeys.id, keyId), eq(apiKeys.userId, userId), isNull(apiKeys.revokedAt)))
          .returning();
        if (!row) throw new QuarryError('key_not_found');
        await recordAudit(tx, caller, {
          action: 'key.revoke',
          target: { type: 'key', id: keyId },
          details: { name: row.name },
        });
      });
      deps.onAccessChanged();
    },

    async resolve(secret) {
      const [row] = await db
        .select({ key: apiKeys, user: users })
        .from(apiKeys)
        .innerJoin(users, eq(users.id, apiKeys.userId))
        .where(and(eq(apiKeys.secretHash, hashSecret(secret)), isNull(apiKeys.revokedAt)));
      if (!row || row.user.disabled) return null;
      const staleBefore = new Date(Date.now() - LAST_USED_RESOLUTION_MS);
      if (!row.key.lastUsedAt || row.key.lastUsedAt < staleBefore) {
        await db
          .update(apiKeys)
          .set({ lastUsedAt: sql`now()` })
          .where(
            and(
              eq(apiKeys.id, row.key.id),
              or(isNull(apiKeys.lastUsedAt), lt(apiKeys.lastUsedAt, staleBefore)),
            ),
          );
      }
      return {
        kind: 'api-key',
        userId: row.user.id,
        email: row.user.email,
        isAdmin: row.user.isAdmin,
        scopes: new Set(row.key.scopes),
        keyId: row.key.id,
      };
    },
  };
}
