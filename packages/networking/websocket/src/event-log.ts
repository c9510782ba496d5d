/** One event of the live feed, as every transport delivers it. */
export interface FeedEvent {
  /** Position in this instance's log; polling clients ask for what came after it. */
  seq: number;
  /** The instance where it was published. */
  origin: string;
  /** Who sent it: a client's id, or "server" for a server-initiated push. */
  from: string;
  text: string;
  /** When it was published, in ms since the epoch (sub-ms precision). */
  at: number;
}

/**
 * The last `capacity` events, kept for polling clients: HTTP cannot push, so a
 * poller must be able to ask "what came after `seq`?". Long-pollers wait here
 * until something does.
 */
export class EventLog {
  readonly #events: FeedEvent[] = [];
  readonly #waiters = new Set<() => void>();
  #seq = 0;

  constructor(private readonly capacity = 1_000) {}

  get lastSeq(): number {
    return this.#seq;
  }

  append(event: Omit<FeedEvent, "seq">): FeedEvent {
    const stored = { ...event, seq: ++this.#seq };
    this.#events.push(stored);
    if (this.#events.length > this.capacity) this.#events.shift();
    for (const wake of [...this.#waiters]) wake();
    return stored;
  }

  after(seq: number): FeedEvent[] {
    return this.#events.filter((e) => e.seq > seq);
  }

  /** The events after `seq`, waiting up to `timeoutMs` for the first one. Empty on timeout. */
  waitAfter(seq: number, timeoutMs: number, signal?: AbortSignal): Promise<FeedEvent[]> {
    const ready = this.after(seq);
    if (ready.length > 0 || signal?.aborted) return Promise.resolve(ready);
    return new Promise((resolve) => {
      const done = () => {
        clearTimeout(timer);
        this.#waiters.delete(done);
        signal?.removeEventListener("abort", done);
        resolve(this.after(seq));
      };
      const timer = setTimeout(done, timeoutMs);
      this.#waiters.add(done);
      signal?.addEventListener("abort", done, { once: true });
    });
  }

  /** Answers every waiting long-poll now (with nothing), so the server can close. */
  close(): void {
    for (const wake of [...this.#waiters]) wake();
  }
}
