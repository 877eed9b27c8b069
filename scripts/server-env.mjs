// The environment Quarry's server process starts in: the caller's, over glibc malloc
// settings measured to matter (docs/benchmarks.md). With its defaults, malloc keeps an arena
// per thread and, once a large block has been freed, serves later large blocks (the search
// index's typed arrays) from its heap, where freed space is rarely given back; at 100,000
// chunks that was 50 to 90 MB of the embedded server's RSS. Two arenas, and large blocks
// always mapped on their own, so that freeing one returns it. A variable the caller has
// set is kept.
export const MALLOC_SETTINGS = Object.freeze({
  MALLOC_ARENA_MAX: '2',
  MALLOC_MMAP_THRESHOLD_: '262144',
});

export function serverEnvironment(env = process.env) {
  return { ...MALLOC_SETTINGS, ...env };
}
