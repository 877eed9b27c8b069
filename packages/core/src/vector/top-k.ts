import type { ScoredId } from '../types.js';

/** Orders hits best first; equal scores fall back to the smaller id so results are stable. */
export function compareHits(a: ScoredId, b: ScoredId): number {
  return b.score - a.score || a.id - b.id;
}

/**
 * Keeps the `k` best hits seen so far in a binary min-heap, so scanning n candidates costs
 * O(n log k) and O(k) memory instead of sorting all n.
 */
export class TopK {
  private readonly heap: ScoredId[] = [];

  constructor(private readonly k: number) {}

  /** The score a new hit must beat to enter, or -Infinity while the heap is not full. */
  get threshold(): number {
    return this.heap.length < this.k ? -Infinity : this.heap[0]!.score;
  }

  push(id: number, score: number): void {
    if (this.k <= 0) return;
    const hit = { id, score };
    if (this.heap.length < this.k) {
      this.heap.push(hit);
      this.siftUp(this.heap.length - 1);
    } else if (compareHits(hit, this.heap[0]!) < 0) {
      this.heap[0] = hit;
      this.siftDown(0);
    }
  }

  /** The collected hits, best first. */
  sorted(): ScoredId[] {
    return [...this.heap].sort(compareHits);
  }

  // The root is the worst hit kept: "worse" means later in `compareHits` order.
  private worse(i: number, j: number): boolean {
    return compareHits(this.heap[i]!, this.heap[j]!) > 0;
  }

  private siftUp(i: number): void {
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (!this.worse(i, parent)) return;
      this.swap(i, parent);
      i = parent;
    }
  }

  private siftDown(i: number): void {
    const n = this.heap.length;
    for (;;) {
      const left = 2 * i + 1;
      const right = left + 1;
      let worst = i;
      if (left < n && this.worse(left, worst)) worst = left;
      if (right < n && this.worse(right, worst)) worst = right;
      if (worst === i) return;
      this.swap(i, worst);
      i = worst;
    }
  }

  private swap(i: number, j: number): void {
    const a = this.heap[i]!;
    this.heap[i] = this.heap[j]!;
    this.heap[j] = a;
  }
}
