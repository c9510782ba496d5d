/** Plain typed subscriptions: `on` returns the function that unsubscribes. */
export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<(event: never) => void>>();

  on<K extends keyof Events>(kind: K, listener: (event: Events[K]) => void): () => void {
    const listeners = this.#listeners.get(kind) ?? new Set();
    this.#listeners.set(kind, listeners.add(listener));
    return () => void listeners.delete(listener);
  }

  /** Resolves with the next event of `kind` that `matches`, so tests await events, not time. */
  next<K extends keyof Events>(
    kind: K,
    matches: (event: Events[K]) => boolean = () => true,
  ): Promise<Events[K]> {
    return new Promise((resolve) => {
      const off = this.on(kind, (event) => {
        if (!matches(event)) return;
        off();
        resolve(event);
      });
    });
  }

  emit<K extends keyof Events>(kind: K, event: Events[K]): void {
    const listeners = this.#listeners.get(kind) as Set<(event: Events[K]) => void> | undefined;
    for (const listener of [...(listeners ?? [])]) listener(event);
  }
}
