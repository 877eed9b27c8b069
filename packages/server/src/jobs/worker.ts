import type { Logger } from 'pino';
import type { JobRow } from '@quarry/store';
import type { JobKind, JobQueue } from './job-queue.js';

/** Thrown by a handler when trying again cannot help (the input itself is bad). */
export class PermanentJobError extends Error {}

export type JobHandler = (job: JobRow, log: Logger) => Promise<void>;

export interface Worker {
  /** Resolves when the queue is empty and nothing is running. */
  drain(): Promise<void>;
  /** Wakes the loop now instead of at the next poll, after an enqueue. */
  wake(): void;
  stop(): Promise<void>;
}

/**
 * One job at a time per worker: ingestion is CPU-bound on the same cores that serve
 * queries, so a single in-process worker keeps search latency steady.
 */
export function startWorker(options: {
  queue: JobQueue;
  handlers: Record<JobKind, JobHandler>;
  log: Logger;
  pollIntervalMs: number;
  workerId: string;
}): Worker {
  const { queue, handlers, log, pollIntervalMs, workerId } = options;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> | undefined;
  let idleWaiters: Array<() => void> = [];

  async function runOne(): Promise<boolean> {
    const job = await queue.claim(workerId);
    if (!job) return false;
    const jobLog = log.child({ jobId: job.id, kind: job.kind, attempt: job.attempts });
    const started = performance.now();
    try {
      const handler = handlers[job.kind as JobKind];
      if (!handler) throw new PermanentJobError(`No handler for job kind "${job.kind}"`);
      await handler(job, jobLog);
      await queue.succeed(job.id);
      jobLog.info({ ms: Math.round(performance.now() - started) }, 'job succeeded');
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      const outcome = await queue.fail(job.id, message, {
        retry: !(error instanceof PermanentJobError),
      });
      jobLog.error({ err: error, outcome }, 'job failed');
    }
    return true;
  }

  async function loop(): Promise<void> {
    timer = undefined;
    try {
      while (!stopped && (await runOne())) {
        // keep going while there is work
      }
    } catch (error) {
      log.error({ err: error }, 'job loop error; retrying after the poll interval');
    }
    running = undefined;
    if (!stopped && (await queue.pendingCount().catch(() => 1)) === 0) {
      const waiters = idleWaiters;
      idleWaiters = [];
      waiters.forEach((resolve) => resolve());
    }
    if (!stopped) timer = setTimeout(kick, pollIntervalMs);
  }

  function kick(): void {
    if (stopped || running) return;
    if (timer) clearTimeout(timer);
    running = loop();
  }

  kick();
  return {
    wake: kick,
    drain: () =>
      new Promise<void>((resolve) => {
        idleWaiters.push(resolve);
        kick();
      }),
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
      idleWaiters.forEach((resolve) => resolve());
      idleWaiters = [];
    },
  };
}
