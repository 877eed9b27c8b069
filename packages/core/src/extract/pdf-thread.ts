import { MessageChannel, Worker } from 'node:worker_threads';

import type * as PdfjsModule from 'pdfjs-dist/legacy/build/pdf.mjs';

type PDFWorker = InstanceType<typeof PdfjsModule.PDFWorker>;

/**
 * Longest time one PDF may take. Text extraction of a large, honest PDF takes seconds;
 * a crafted one can keep pdfjs busy for ever, holding an ingest worker.
 */
export const PDF_TIME_LIMIT_MS = 5 * 60_000;

/** Heap of the thread that parses one PDF: ample for text, bounded for hostile files. */
export const PDF_THREAD_HEAP_MB = 1024;

/**
 * Runs in the thread. pdfjs leaves some internal promises unobserved when a damaged file
 * fails part-way (seen with broken page trees); in the main thread those unhandled
 * rejections would take the whole server down, here they are dropped. A failure to load
 * pdfjs itself is thrown so that the main thread hears of it.
 */
const THREAD_SOURCE = `
const { workerData } = require('node:worker_threads');
process.on('unhandledRejection', () => {});
import(workerData.workerUrl).then(
  ({ WorkerMessageHandler }) => WorkerMessageHandler.initializeFromPort(workerData.port),
  (error) => setImmediate(() => { throw error; }),
);
`;

/** Why the PDF thread stopped before its work was done. */
export class PdfThreadError extends Error {
  constructor(readonly reason: 'timeout' | 'out_of_memory' | 'crashed') {
    super(`PDF thread stopped: ${reason}`);
  }
}

export interface PdfThread {
  /** Hand to `getDocument({ worker })`: pdfjs then parses in the thread. */
  worker: PDFWorker;
  /** Settles like `work`, or rejects with a `PdfThreadError` if the thread dies first. */
  guard<T>(work: Promise<T>): Promise<T>;
  /** Ends the thread; safe to call in every outcome. */
  close(): Promise<void>;
}

/**
 * Starts a thread running pdfjs's parser for one document. Parsing there means that a
 * damaged or hostile PDF can at worst kill that thread (by crashing, exhausting its heap
 * or running out of time), never the process.
 */
export function startPdfThread(pdfjs: typeof PdfjsModule, workerUrl: string): PdfThread {
  const { port1, port2 } = new MessageChannel();
  const thread = new Worker(THREAD_SOURCE, {
    eval: true,
    workerData: { workerUrl, port: port2 },
    transferList: [port2],
    resourceLimits: { maxOldGenerationSizeMb: PDF_THREAD_HEAP_MB },
  });

  let closing = false;
  let timer: NodeJS.Timeout | undefined;
  const stopped = new Promise<never>((_, reject) => {
    thread.on('error', (error: NodeJS.ErrnoException) => {
      reject(
        new PdfThreadError(error.code === 'ERR_WORKER_OUT_OF_MEMORY' ? 'out_of_memory' : 'crashed'),
      );
    });
    thread.once('exit', () => {
      if (!closing) reject(new PdfThreadError('crashed'));
    });
    timer = setTimeout(() => reject(new PdfThreadError('timeout')), PDF_TIME_LIMIT_MS);
  });
  // The rejection is observed through `guard`; this keeps a late one from going unhandled.
  stopped.catch(() => undefined);

  // pdfjs accepts any MessagePort-like object; its typings only name the DOM Worker. Only
  // errors are logged, not a warning for every damaged object.
  const worker = new pdfjs.PDFWorker({
    port: port1 as unknown as null,
    verbosity: pdfjs.VerbosityLevel.ERRORS,
  });

  return {
    worker,
    guard: (work) => Promise.race([work, stopped]),
    async close() {
      closing = true;
      clearTimeout(timer);
      worker.destroy();
      port1.close();
      await thread.terminate();
    },
  };
}
