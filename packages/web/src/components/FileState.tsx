const LABELS: Record<string, string> = {
  queued: 'Queued',
  extracting: 'Extracting text',
  embedding: 'Embedding',
  indexed: 'Indexed',
  duplicate: 'Duplicate',
  failed: 'Failed',
};

/** States a file leaves no more. */
export function isSettled(state: string) {
  return state === 'indexed' || state === 'duplicate' || state === 'failed';
}

/** A file's processing state in words, with the reason when it failed or a notice. */
export function FileState({
  state,
  errorCode,
  errorMessage,
  notice,
  duplicateOf,
}: {
  state: string;
  errorCode?: string | null;
  errorMessage?: string | null;
  /** What to know about an indexed file: records left out, say. */
  notice?: string | null;
  /** The name of the file a duplicate repeats, when it is known. */
  duplicateOf?: string;
}) {
  return (
    <span className="file-state">
      <span className={`badge state-${state}`}>
        {!isSettled(state) && <span className="spinner" aria-hidden="true" />}
        {LABELS[state] ?? state}
        {errorCode ? ` (${errorCode.replace('_', ' ')})` : ''}
      </span>
      {errorMessage && <span className="state-message">{errorMessage}</span>}
      {state === 'indexed' && notice && <span className="state-message">{notice}</span>}
      {state === 'duplicate' && (
        <span className="state-message">
          {duplicateOf
            ? `The same bytes as ${duplicateOf}, already in this project: nothing new to index.`
            : 'The same bytes are already in this project: nothing new to index.'}
        </span>
      )}
    </span>
  );
}
