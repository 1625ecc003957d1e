// Running one statement for many parameter sets: every set is planned (and so checked) before
// the first request, then the writes run a few at a time, and every outcome is reported.

export type BatchItemResult =
  | { index: number; ok: true; rowsAffected: number; lastInsertId?: string }
  | { index: number; ok: false; error: Error };

export interface BatchResult {
  rowsAffected: number;
  /** One entry per parameter set, in the order given. */
  results: BatchItemResult[];
}

/**
 * Some parameter sets failed. Nothing is silent: `results` says which succeeded (with their
 * Ids) and which failed with what error; the ones that succeeded have taken effect.
 */
export class BatchError extends Error {
  override name = 'BatchError';
  readonly succeeded: number;
  readonly failed: number;

  constructor(readonly results: BatchItemResult[]) {
    const failures = results.filter((r): r is Extract<BatchItemResult, { ok: false }> => !r.ok);
    const first = failures[0]!;
    super(
      `${failures.length} of ${results.length} parameter sets failed (the other ${results.length - failures.length} took effect); ` +
        `first failure, set ${first.index + 1}: ${first.error.message.split('\n')[0]}`,
    );
    this.failed = failures.length;
    this.succeeded = results.length - failures.length;
  }
}

/** Calls `work` for each item with at most `limit` calls in flight; results keep the items' order. */
export async function mapWithConcurrency<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, worker));
  return results;
}
