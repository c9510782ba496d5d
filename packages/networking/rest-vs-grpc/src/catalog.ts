// The service both APIs expose. It knows nothing of HTTP, JSON or
// protobuf: REST and gRPC are two doors into the same room.

/** A product, shaped like the `Product` message in proto/catalog.proto. */
export interface Product {
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stock: number;
  tags: string[];
}

export interface PriceChange {
  sku: string;
  priceCents: number;
  changedAt: number;
}

export interface Quote {
  sku: string;
  quantity: number;
  totalCents: number;
}

/** The caller asked for something that does not exist (404, NOT_FOUND). */
export class NotFoundError extends Error {
  override name = "NotFoundError";
}

/** The caller's request is malformed (400, INVALID_ARGUMENT). */
export class InvalidArgumentError extends Error {
  override name = "InvalidArgumentError";
}

const SKU = /^SKU-\d{4}$/;
const ADJECTIVES = [
  "Sturdy",
  "Compact",
  "Quiet",
  "Bright",
  "Classic",
  "Folding",
  "Heated",
  "Smart",
];
const NOUNS = ["Kettle", "Desk Lamp", "Backpack", "Chair", "Blender", "Umbrella", "Speaker", "Mug"];
const TAGS = ["home", "office", "outdoor", "kitchen", "gift", "sale", "new", "eco"];

/** `count` products, the same every time, so byte counts are too. */
export function sampleProducts(count = 100): Product[] {
  return Array.from({ length: count }, (_, i) => {
    const n = i + 1;
    const name = `${ADJECTIVES[n % ADJECTIVES.length]} ${NOUNS[(n * 3) % NOUNS.length]}`;
    return {
      sku: `SKU-${String(n).padStart(4, "0")}`,
      name,
      description: `${name}, model ${n}: built to last, with a two-year warranty.`,
      priceCents: 499 + ((n * 7919) % 20_000),
      currency: "EUR",
      stock: (n * 37) % 250,
      tags: [TAGS[n % TAGS.length]!, TAGS[(n + 3) % TAGS.length]!],
    };
  });
}

/** The product catalogue: look-ups, listings, live prices and quotes. */
export class Catalog {
  readonly #products: Map<string, Product>;
  readonly #watchers = new Set<(change: PriceChange) => void>();
  readonly #onWatchers = new Set<() => void>();

  constructor(products: Product[] = sampleProducts()) {
    this.#products = new Map(products.map((p) => [p.sku, p]));
  }

  get(sku: string): Product {
    if (!SKU.test(sku)) throw new InvalidArgumentError(`"${sku}" is not a SKU like SKU-0001.`);
    const product = this.#products.get(sku);
    if (!product) throw new NotFoundError(`No product ${sku}.`);
    return product;
  }

  list(limit: number): Product[] {
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) {
      throw new InvalidArgumentError(`limit must be 1 to 100, not ${limit}.`);
    }
    return [...this.#products.values()].slice(0, limit);
  }

  quote(sku: string, quantity: number): Quote {
    if (!Number.isInteger(quantity) || quantity < 1) {
      throw new InvalidArgumentError(`quantity must be at least 1, not ${quantity}.`);
    }
    return { sku, quantity, totalCents: this.get(sku).priceCents * quantity };
  }

  setPrice(sku: string, priceCents: number): PriceChange {
    const product = this.get(sku);
    product.priceCents = priceCents;
    const change = { sku, priceCents, changedAt: Date.now() };
    for (const watcher of [...this.#watchers]) watcher(change);
    return change;
  }

  /** Calls `watcher` on every price change until the returned function is called. */
  watch(watcher: (change: PriceChange) => void): () => void {
    this.#watchers.add(watcher);
    this.#watchersChanged();
    return () => {
      this.#watchers.delete(watcher);
      this.#watchersChanged();
    };
  }

  get watchers(): number {
    return this.#watchers.size;
  }

  /** Resolves once exactly `count` watchers are subscribed. */
  untilWatchers(count: number): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (this.#watchers.size !== count) return;
        this.#onWatchers.delete(check);
        resolve();
      };
      this.#onWatchers.add(check);
      check();
    });
  }

  #watchersChanged(): void {
    for (const check of [...this.#onWatchers]) check();
  }
}
