import v8 from 'node:v8';

/**
 * Has V8 favour memory over speed for the rest of the process (`--optimize-for-size`): a
 * smaller heap growth step, so garbage is collected before the heap balloons, and leaner
 * compiled code. In the embedded server at 100,000 chunks this lowered the peak by about
 * 190 MB while ingesting about a quarter slower and answering queries as fast
 * (docs/benchmarks.md). The `quarry` command applies it before anything else runs; a
 * program embedding Quarry decides for itself.
 */
export function preferSmallMemory(): void {
  v8.setFlagsFromString('--optimize-for-size');
}
