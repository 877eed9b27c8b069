/**
 * Run in a child process by the lock tests: tries to open the embedded store in the given
 * directory and prints one JSON line saying what happened.
 */
import { openStore } from '../open-store.js';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: lock-probe <data-dir>');

try {
  const store = await openStore({ kind: 'embedded', dataDir });
  await store.close();
  console.log(JSON.stringify({ opened: true }));
} catch (error) {
  const { code, message } = error as { code?: string; message?: string };
  console.log(JSON.stringify({ opened: false, code, message }));
}
