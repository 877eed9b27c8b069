import { and, asc, eq, inArray, lt, lte, or, sql, type SQL } from 'drizzle-orm';
import { jobs, outbox, type Database, type JobRow } from '@quarry/store';
import { JOBS_TOPIC } from './outbox-relay.js';

export type JobKind = 'ingest_file' | 'fit_embeddings';

export interface NewJob {
  kind: JobKind;
  projectId: string;
  fileId?: string;
  maxAttempts?: number;
}

/**
 * Durable jobs. `enqueue` runs inside the caller's transaction, so a job exists exactly when
 * the data it works on does. In server mode a broker carries the wake-up signal; the rows
 * stay the source of truth either way.
 */
export interface JobQueue {
  enqueue(tx: Database, job: NewJob): Promise<string>;
  /** Takes the oldest runnable job, or nothing. Safe to call from several workers. */
  claim(workerId: string): Promise<JobRow | undefined>;
  succeed(jobId: string): Promise<void>;
  /** Records the error; the job is retried later unless its attempts are used up. */
  fail(jobId: string, message: string, options: { retry: boolean }): Promise<'retrying' | 'failed'>;
  /** Puts jobs left running by a stopped process back in the queue. */
  recoverInterrupted(): Promise<number>;
  /** Jobs not yet finished for a project, for readiness and progress. */
  /** Jobs queued or running, in one project when given; `visible` adds an access condition. */
  pendingCount(projectId?: string, visible?: SQL): Promise<number>;
}

/** Retries wait longer each time, so a flapping dependency is not hammered. */
const RETRY_BACKOFF_MS = [1_000, 10_000, 60_000];

export function createDatabaseJobQueue(
  db: Database,
  options: {
    lockTimeoutMs: number;
    /** Server mode with a broker: each job also gets an outbox row, in the same transaction. */
    outbox?: boolean;
  },
): JobQueue {
  return {
    async enqueue(tx, job) {
      const [row] = await tx
        .insert(jobs)
        .values({
          kind: job.kind,
          projectId: job.projectId,
          fileId: job.fileId ?? null,
          state: 'queued',
          maxAttempts: job.maxAttempts ?? 3,
        })
        .returning({ id: jobs.id });
      if (options.outbox) {
        await tx
          .insert(outbox)
          .values({ topic: JOBS_TOPIC, payload: { jobId: row!.id, kind: job.kind } });
      }
      return row!.id;
    },

    async claim(workerId) {
      // Lock the next runnable row and skip rows other workers hold, so two workers never
      // take the same job. A running job whose lock expired was abandoned by a dead worker.
      return db.transaction(async (tx) => {
        const [next] = await tx
          .select({ id: jobs.id })
          .from(jobs)
          .where(
            or(
              and(eq(jobs.state, 'queued'), lte(jobs.runAfter, sql`now()`)),
              and(eq(jobs.state, 'running'), lt(jobs.lockedUntil, sql`now()`)),
            ),
          )
          .orderBy(asc(jobs.createdAt))
          .limit(1)
          .for('update', { skipLocked: true });
        if (!next) return undefined;
        const [row] = await tx
          .update(jobs)
          .set({
            state: 'running',
            attempts: sql`${jobs.attempts} + 1`,
            lockedBy: workerId,
            lockedUntil: new Date(Date.now() + options.lockTimeoutMs),
            updatedAt: new Date(),
          })
          .where(eq(jobs.id, next.id))
          .returning();
        return row;
      });
    },

    async succeed(jobId) {
      await db
        .update(jobs)
        .set({
          state: 'succeeded',
          lockedBy: null,
          lockedUntil: null,
          finishedAt: new Date(),
          updatedAt: new Date(),
        })
        .where(eq(jobs.id, jobId));
    },

    async fail(jobId, message, { retry }) {
      const [job] = await db.select().from(jobs).where(eq(jobs.id, jobId));
      if (!job) return 'failed';
      const exhausted = !retry || job.attempts >= job.maxAttempts;
      const backoff =
        RETRY_BACKOFF_MS[Math.min(job.attempts - 1, RETRY_BACKOFF_MS.length - 1)] ?? 0;
      await db
        .update(jobs)
        .set({
          state: exhausted ? 'failed' : 'queued',
          lastError: message.slice(0, 2_000),
          lockedBy: null,
          lockedUntil: null,
          runAfter: new Date(Date.now() + (exhausted ? 0 : backoff)),
          finishedAt: exhausted ? new Date() : null,
          updatedAt: new Date(),
        })
        .where(eq(jobs.id, jobId));
      return exhausted ? 'failed' : 'retrying';
    },

    async recoverInterrupted() {
      const rows = await db
        .update(jobs)
        .set({ state: 'queued', lockedBy: null, lockedUntil: null, updatedAt: new Date() })
        .where(eq(jobs.state, 'running'))
        .returning({ id: jobs.id });
      return rows.length;
    },

    async pendingCount(projectId, visible) {
      const where = and(
        inArray(jobs.state, ['queued', 'running']),
        projectId ? eq(jobs.projectId, projectId) : undefined,
        visible,
      );
      const [row] = await db
        .select({ n: sql<number>`count(*)::int` })
        .from(jobs)
        .where(where);
      return row?.n ?? 0;
    },
  };
}
