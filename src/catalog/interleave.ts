// Several paged reads at once (the lists of an IN's values, the searches of an IN's batches):
// each item is yielded as soon as it arrives, whichever read it comes from. The client's rate
// budget and its cap on requests in flight still bound them all.

/**
 * Items of `sources`, at most `limit` of them open at a time, in the order they arrive. Each
 * open source fetches its next item while the current one is consumed, so at most `limit`
 * items wait. A limit given as a function is asked again whenever a source could start (it
 * may follow the rate budget as the latency becomes known). Stopping early aborts the signal
 * every source was given, then closes them.
 */
export async function* interleave<T>(
  sources: Iterable<(signal: AbortSignal) => AsyncIterator<T>>,
  limit: number | (() => number),
): AsyncGenerator<T> {
  const width = typeof limit === 'number' ? () => limit : limit;
  interface Open {
    iterator: AsyncIterator<T>;
    next: Promise<{ source: Open; result: IteratorResult<T> }>;
  }
  const stop = new AbortController();
  const waiting = sources[Symbol.iterator]();
  const open = new Set<Open>();
  const pull = (source: Open): void => {
    source.next = source.iterator.next().then((result) => ({ source, result }));
    // Raced below; marked handled now so that a failure while another source is read cannot crash the process.
    source.next.catch(() => undefined);
  };
  const start = (): boolean => {
    const next = waiting.next();
    if (next.done) return false;
    const source = { iterator: next.value(stop.signal) } as Open;
    pull(source);
    open.add(source);
    return true;
  };
  try {
    while (open.size < width() && start());
    while (open.size > 0) {
      const { source, result } = await Promise.race([...open].map((s) => s.next));
      if (result.done) open.delete(source);
      else pull(source);
      while (open.size < width() && start());
      if (!result.done) yield result.value;
    }
  } finally {
    stop.abort();
    await Promise.allSettled([...open].map((s) => s.iterator.return?.()));
  }
}
