/** Seeded pseudo-random numbers (mulberry32), so vector tests and measurements repeat. */
export function seeded(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** `count` vectors with components uniform in [-1, 1). */
export function randomVectors(count: number, dimension: number, seed: number): Float32Array[] {
  const random = seeded(seed);
  return Array.from({ length: count }, () => {
    const vector = new Float32Array(dimension);
    for (let i = 0; i < dimension; i++) vector[i] = random() * 2 - 1;
    return vector;
  });
}

/**
 * `count` vectors scattered around `clusters` random centres, a rough model of embeddings,
 * whose neighbourhoods are topical clusters rather than uniform noise. `spread` is the
 * standard deviation of each component around its centre (centres are uniform in [-1, 1)).
 */
export function clusteredVectors(
  count: number,
  dimension: number,
  seed: number,
  clusters = 1000,
  spread = 0.5,
): Float32Array[] {
  const centres = randomVectors(clusters, dimension, seed ^ 0x5eed);
  const random = seeded(seed);
  const gaussian = () => {
    // Box-Muller: two uniforms give one standard normal sample.
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  return Array.from({ length: count }, () => {
    const centre = centres[Math.floor(random() * clusters)]!;
    return centre.map((value) => value + gaussian() * spread);
  });
}
