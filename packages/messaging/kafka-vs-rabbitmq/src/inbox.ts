/** Collects what consumers receive, and lets a caller wait for a condition on it. */
export class Inbox<T> {
  readonly items: T[] = [];
  readonly #waiters = new Set<() => void>();

  push(item: T): void {
    this.items.push(item);
    for (const check of [...this.#waiters]) check();
  }

  /** Resolves once `condition` holds on the items so far, re-checked on every push. */
  until(condition: (items: T[]) => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!condition(this.items)) return;
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
      check();
    });
  }

  /** Resolves once the inbox holds at least `count` items. */
  atLeast(count: number): Promise<void> {
    return this.until((items) => items.length >= count);
  }
}
