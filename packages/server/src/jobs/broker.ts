import amqp, {
  type Channel,
  type ChannelModel,
  type ConfirmChannel,
  type RecoveringChannelModel,
} from 'amqplib';
import type { Logger } from 'pino';

/** What travels through the broker: a pointer to a job row, which stays the truth. */
export interface JobMessage {
  jobId: string;
  kind: string;
}

/**
 * The message broker of server mode (RabbitMQ over AMQP 0-9-1). Jobs live in the database;
 * the broker carries "job X is ready" from the process that accepted the work to the
 * processes that run it, so workers in other services start at once instead of polling.
 */
export interface JobBroker {
  /** Publishes persistently and resolves once the broker has confirmed every message. */
  publish(messages: JobMessage[]): Promise<void>;
  /** Hands each delivered message to `onMessage`; acknowledged once it returns. */
  consume(onMessage: (message: JobMessage) => void | Promise<void>): Promise<void>;
  close(): Promise<void>;
}

const CONFIRM_TIMEOUT_MS = 10_000;

export async function connectBroker(options: {
  url: string;
  queue: string;
  log: Logger;
}): Promise<JobBroker> {
  const { url, queue, log } = options;
  let consumer: ((message: JobMessage) => void | Promise<void>) | undefined;
  let publisher: Promise<ConfirmChannel> | undefined;
  /** Whether the current connection has a consumer running. */
  let consuming = false;

  async function startConsuming(channel: Channel) {
    if (!consumer || consuming) return;
    consuming = true;
    const handle = consumer;
    await channel.prefetch(16);
    await channel.consume(queue, (delivery) => {
      if (!delivery) return;
      let message: JobMessage | undefined;
      try {
        message = JSON.parse(delivery.content.toString('utf8')) as JobMessage;
      } catch {
        log.warn({ queue }, 'dropping a broker message that is not JSON');
        channel.nack(delivery, false, false);
        return;
      }
      Promise.resolve(handle(message)).then(
        () => channel.ack(delivery),
        (error: unknown) => {
          log.error({ err: error, jobId: message.jobId }, 'broker message handler failed');
          channel.nack(delivery, false, true);
        },
      );
    });
  }

  // Recovery reconnects with backoff after a broker restart and runs `setup` again, so the
  // queue and the consumer come back by themselves.
  const connection: RecoveringChannelModel = await amqp.connect(url, {
    recovery: {
      initialDelay: 200,
      maxDelay: 5_000,
      waitForConnect: false,
      async setup(model: ChannelModel) {
        const channel = await model.createChannel();
        await channel.assertQueue(queue, { durable: true });
        await startConsuming(channel);
      },
    },
  });
  connection.on('connect', () => log.info({ queue }, 'connected to the message broker'));
  connection.on('disconnect', (err: Error) => {
    publisher = undefined;
    consuming = false;
    log.warn({ err }, 'lost the message broker; reconnecting');
  });
  connection.on('connect-failed', (err: Error) =>
    log.warn({ err }, 'cannot reach the message broker; retrying'),
  );
  connection.on('error', (err: Error) => log.warn({ err }, 'message broker error'));

  function confirmChannel(): Promise<ConfirmChannel> {
    publisher ??= connection.createConfirmChannel().then((channel) => {
      channel.on('close', () => (publisher = undefined));
      channel.on('error', (err: Error) => log.warn({ err }, 'broker publish channel error'));
      return channel;
    });
    return publisher;
  }

  return {
    async publish(messages) {
      if (messages.length === 0) return;
      const confirmed = (async () => {
        const channel = await confirmChannel();
        for (const message of messages) {
          channel.sendToQueue(queue, Buffer.from(JSON.stringify(message)), {
            persistent: true,
            contentType: 'application/json',
            messageId: message.jobId,
          });
        }
        await channel.waitForConfirms();
      })();
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<never>((_, reject) => {
        timer = setTimeout(
          () => reject(new Error('the message broker did not confirm in time')),
          CONFIRM_TIMEOUT_MS,
        );
      });
      try {
        await Promise.race([confirmed, timeout]);
      } finally {
        clearTimeout(timer);
      }
    },

    async consume(onMessage) {
      consumer = onMessage;
      // A consumer registered after the connection was set up starts on a channel of its own;
      // after a reconnect, `setup` starts it again.
      await connection.waitForConnect();
      if (consuming) return;
      const channel = await connection.createChannel();
      await channel.assertQueue(queue, { durable: true });
      await startConsuming(channel);
    },

    async close() {
      await connection.close().catch(() => undefined);
    },
  };
}
