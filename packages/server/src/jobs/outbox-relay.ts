import { asc, inArray, isNull, sql } from 'drizzle-orm';
import { outbox, type Database } from '@quarry/store';
import type { Logger } from 'pino';
import type { JobBroker, JobMessage } from './broker.js';

export const JOBS_TOPIC = 'jobs';
const BATCH = 200;

export interface OutboxRelay {
  /** Publishes what is waiting now rather than at the next poll. */
  wake(): void;
  /** Publishes everything waiting; resolves with how many rows went out. */
  flush(): Promise<number>;
  stop(): Promise<void>;
}

/**
 * The transactional outbox's publisher. Work is recorded together with an outbox row in one
 * transaction; this loop sends the rows to the broker and marks them published only after
 * the broker confirmed them. A crash or a broker outage in between leaves them waiting, so an
 * accepted upload is never lost; at worst a message goes out twice, and consumers only treat
 * messages as "look at the job table".
 */
export function startOutboxRelay(options: {
  db: Database;
  broker: JobBroker;
  log: Logger;
  pollIntervalMs: number;
}): OutboxRelay {
  const { db, broker, log } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  /** A wake-up arrived mid-flush: rows committed after its read must not wait a poll. */
  let again = false;

  async function publishBatch(): Promise<number> {
    return db.transaction(async (tx) => {
      // Several processes may relay at once; each takes rows the others do not hold.
      const rows = await tx
        .select({ id: outbox.id, payload: outbox.payload })
        .from(outbox)
        .where(isNull(outbox.publishedAt))
        .orderBy(asc(outbox.id))
        .limit(BATCH)
        .for('update', { skipLocked: true });
      if (rows.length === 0) return 0;
      await broker.publish(rows.map((row) => row.payload as JobMessage));
      await tx
        .update(outbox)
        .set({ publishedAt: sql`now()` })
        .where(
          inArray(
            outbox.id,
            rows.map((row) => row.id),
          ),
        );
      return rows.length;
    });
  }

  async function flush(): Promise<number> {
    let total = 0;
    for (;;) {
      const sent = await publishBatch();
      total += sent;
      if (sent < BATCH) return total;
    }
  }

  function schedule() {
    if (!stopped) timer = setTimeout(kick, options.pollIntervalMs);
  }

  function kick() {
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    if (timer) clearTimeout(timer);
    again = false;
    running = flush()
      .catch((error: unknown) => {
        again = false;
        log.warn({ err: error }, 'could not publish waiting jobs to the broker; will retry');
      })
      .finally(() => {
        running = undefined;
        if (again) kick();
        else schedule();
      });
  }

  kick();
  return {
    wake: kick,
    flush,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
