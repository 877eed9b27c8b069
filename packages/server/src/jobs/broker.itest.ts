import { randomBytes } from 'node:crypto';
import amqp from 'amqplib';
import { isNull } from 'drizzle-orm';
import { afterEach, describe, expect, it } from 'vitest';
import { openStore, outbox } from '@quarry/store';
import { LOCAL_ADMIN } from '../caller.js';
import { createQuarry, type Quarry } from '../quarry.js';
import { startTestQuarry, type TestQuarry } from '../test-support/test-quarry.js';
import { connectBroker, type JobMessage } from './broker.js';
import { startOutboxRelay } from './outbox-relay.js';

const AMQP_URL = process.env.QUARRY_TEST_AMQP_URL || 'amqp://guest:guest@127.0.0.1:5672';
/** Nothing listens on port 1: a broker that is down. */
const DOWN_URL = 'amqp://guest:guest@127.0.0.1:1';
/** Long enough that only the broker, not polling, can explain a worker starting a job. */
const NO_POLLING = { pollIntervalMs: 120_000 };

const note = (text: string) => [{ name: 'note.txt', bytes: new TextEncoder().encode(text) }];

async function until<T>(probe: () => Promise<T | undefined>, what: string): Promise<T> {
  const deadline = Date.now() + 30_000;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('jobs through RabbitMQ in server mode (PostgreSQL + transactional outbox)', () => {
  const queue = `quarry.jobs.test-${randomBytes(4).toString('hex')}`;
  const opened: Array<{ close(): Promise<void> }> = [];

  afterEach(async () => {
    for (const thing of opened.splice(0).reverse()) await thing.close();
    const connection = await amqp.connect(AMQP_URL);
    const channel = await connection.createChannel();
    await channel.deleteQueue(queue);
    await connection.close();
  });

  it('a separate worker process runs an upload the hub accepted, woken by the broker', async () => {
    const hub: TestQuarry = await startTestQuarry(
      'postgres',
      { broker: { url: AMQP_URL, queue }, jobs: NO_POLLING },
      { runWorker: false },
    );
    opened.push({ close: () => hub.cleanup() });
    // The worker service: same database and broker, its own process state. Its first poll
    // at start finds nothing; the next one is minutes away.
    const worker: Quarry = await createQuarry(hub.settings, {
      runWorker: true,
      logger: hub.quarry.log,
    });
    opened.push(worker);

    await hub.quarry.projects.create(LOCAL_ADMIN, { name: 'notes' });
    const [accepted] = await hub.quarry.ingest.upload(
      LOCAL_ADMIN,
      'notes',
      note('The pump vibration rose after the bearing wore out.'),
    );
    expect(accepted!.state).toBe('queued');

    const file = await until(async () => {
      const row = await hub.quarry.documents.getFile(LOCAL_ADMIN, 'notes', accepted!.fileId);
      return row.state === 'indexed' ? row : undefined;
    }, 'the worker to index the upload');
    expect(file.chunkCount).toBeGreaterThan(0);
    const waiting = await hub.quarry.store.db
      .select()
      .from(outbox)
      .where(isNull(outbox.publishedAt));
    expect(waiting).toEqual([]);
  });

  it('keeps accepted work in the outbox while the broker is down, and sends it once it is back', async () => {
    const hub = await startTestQuarry(
      'postgres',
      { broker: { url: DOWN_URL, queue }, jobs: NO_POLLING },
      { runWorker: false },
    );
    await hub.quarry.projects.create(LOCAL_ADMIN, { name: 'notes' });
    const [accepted] = await hub.quarry.ingest.upload(LOCAL_ADMIN, 'notes', note('kept'));
    // Accepted: the original, its job and its outbox row are committed together.
    expect(accepted!.state).toBe('queued');
    const db = hub.quarry.store.db;
    const waiting = await db.select().from(outbox).where(isNull(outbox.publishedAt));
    expect(waiting.map((row) => (row.payload as JobMessage).kind)).toEqual(['ingest_file']);
    await hub.quarry.close();

    // The broker is reachable again: a relay on the same database sends what waited.
    const settings = hub.settings;
    const store = await openStore(settings.store);
    opened.push({ close: () => hub.cleanup() }, store);
    const broker = await connectBroker({ url: AMQP_URL, queue, log: hub.quarry.log });
    opened.push(broker);
    const received: JobMessage[] = [];
    await broker.consume((message) => {
      received.push(message);
    });
    const relay = startOutboxRelay({ db: store.db, broker, log: hub.quarry.log, ...NO_POLLING });
    opened.push({ close: () => relay.stop() });
    await until(async () => (received.length > 0 ? true : undefined), 'the message');
    expect(received).toEqual([
      { jobId: (waiting[0]!.payload as JobMessage).jobId, kind: 'ingest_file' },
    ]);
    expect(await store.db.select().from(outbox).where(isNull(outbox.publishedAt))).toEqual([]);
  });
});
