/**
 * Reads a large result a batch at a time, by key rather than by offset: `read(after, limit)`
 * returns up to `limit` rows whose `id` is above `after`, in increasing `id` order. Each
 * batch is yielded as it arrives, so no more than one is held besides what the caller keeps.
 */
export async function* keysetBatches<Row extends { id: number }>(
  read: (after: number, limit: number) => Promise<Row[]>,
  limit: number,
): AsyncGenerator<Row[]> {
  for (let after = 0; ;) {
    const rows = await read(after, limit);
    if (rows.length > 0) yield rows;
    if (rows.length < limit) return;
    after = rows[rows.length - 1]!.id;
  }
}
