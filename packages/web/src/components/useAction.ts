import { useState } from 'react';
import { errorMessage } from '../api/client';

/**
 * Runs one async action at a time for a form or button: `busy` while it runs, and the
 * server's refusal in words as `error` when it fails.
 */
export function useAction() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();
  async function run(action: () => Promise<unknown>): Promise<boolean> {
    setBusy(true);
    setError(undefined);
    try {
      await action();
      return true;
    } catch (failure) {
      setError(errorMessage(failure));
      return false;
    } finally {
      setBusy(false);
    }
  }
  return { busy, error, run };
}
