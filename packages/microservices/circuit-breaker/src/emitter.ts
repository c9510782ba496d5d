/** Plain typed subscriptions: `on` returns the function that unsubscribes. */
export class Emitter<Events extends object> {
  readonly #listeners = new Map<keyof Events, Set<(event: never) => void>>();

  on<K extends keyof Events>(kind: K, listener: (event: Events[K]) => void): () => void {
    const listeners = this.#listeners.get(kind) ?? new Set();
    this.#listeners.set(kind, listeners.add(listener));
    return () => void listeners.delete(listener);
  }

  emit<K extends keyof Events>(kind: K, event: Events[K]): void {
    const listeners = this.#listeners.get(kind) as Set<(event: Events[K]) => void> | undefined;
    for (const listener of listeners ?? []) listener(event);
  }
}
