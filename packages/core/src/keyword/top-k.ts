/**
 * Keeps the `k` best (score, key) pairs seen so far in a binary min-heap on typed arrays.
 * Ties on score go to the smaller key, so rankings are deterministic: for the keyword index
 * the key is the insertion slot, which makes an earlier-added chunk win a tie, as in Lucene.
 */
export class TopK {
  readonly capacity: number;
  private readonly scores: Float64Array;
  private readonly keys: Float64Array;
  private count = 0;

  constructor(capacity: number) {
    this.capacity = Math.max(0, Math.floor(capacity));
    this.scores = new Float64Array(this.capacity);
    this.keys = new Float64Array(this.capacity);
  }

  get size(): number {
    return this.count;
  }

  /** True when a pair with this score and key would enter the heap. */
  accepts(score: number, key: number): boolean {
    if (this.count < this.capacity) return true;
    if (this.capacity === 0) return false;
    return this.isWorse(this.scores[0]!, this.keys[0]!, score, key);
  }

  /** Offers a pair; it replaces the current worst one when the heap is full and it is better. */
  push(score: number, key: number): void {
    if (this.count < this.capacity) {
      this.scores[this.count] = score;
      this.keys[this.count] = key;
      this.count += 1;
      this.siftUp(this.count - 1);
      return;
    }
    if (!this.accepts(score, key)) return;
    this.scores[0] = score;
    this.keys[0] = key;
    this.siftDown(0);
  }

  /** The kept pairs, best first; the heap is emptied. */
  drain(): { keys: number[]; scores: number[] } {
    const keys = new Array<number>(this.count);
    const scores = new Array<number>(this.count);
    for (let i = this.count - 1; i >= 0; i--) {
      keys[i] = this.keys[0]!;
      scores[i] = this.scores[0]!;
      this.count -= 1;
      this.scores[0] = this.scores[this.count]!;
      this.keys[0] = this.keys[this.count]!;
      this.siftDown(0);
    }
    return { keys, scores };
  }

  /** Is (scoreA, keyA) ranked below (scoreB, keyB)? */
  private isWorse(scoreA: number, keyA: number, scoreB: number, keyB: number): boolean {
    return scoreA < scoreB || (scoreA === scoreB && keyA > keyB);
  }

  private siftUp(index: number): void {
    let child = index;
    while (child > 0) {
      const parent = (child - 1) >> 1;
      if (
        !this.isWorse(
          this.scores[child]!,
          this.keys[child]!,
          this.scores[parent]!,
          this.keys[parent]!,
        )
      ) {
        break;
      }
      this.swap(child, parent);
      child = parent;
    }
  }

  private siftDown(index: number): void {
    let parent = index;
    for (;;) {
      const left = 2 * parent + 1;
      if (left >= this.count) return;
      const right = left + 1;
      let worst = left;
      if (
        right < this.count &&
        this.isWorse(this.scores[right]!, this.keys[right]!, this.scores[left]!, this.keys[left]!)
      ) {
        worst = right;
      }
      if (
        !this.isWorse(
          this.scores[worst]!,
          this.keys[worst]!,
          this.scores[parent]!,
          this.keys[parent]!,
        )
      ) {
        return;
      }
      this.swap(parent, worst);
      parent = worst;
    }
  }

  private swap(a: number, b: number): void {
    const score = this.scores[a]!;
    const key = this.keys[a]!;
    this.scores[a] = this.scores[b]!;
    this.keys[a] = this.keys[b]!;
    this.scores[b] = score;
    this.keys[b] = key;
  }
}
