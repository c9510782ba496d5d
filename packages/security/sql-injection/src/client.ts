import type { Product } from "./shop.js";

/** One HTTP exchange with either app, timed. */
export interface Reply<T> {
  status: number;
  body: T;
  ms: number;
}

/** What the apps answer; `error`/`code` appear on failures (the vulnerable app leaks both). */
export interface ShopBody {
  user?: { id: number; username: string; is_admin: boolean };
  product?: Product;
  products?: Product[];
  error?: string;
  code?: string;
}

/** A plain `fetch` client for the four routes both apps share. */
export class ShopClient {
  constructor(readonly baseUrl: string) {}

  login(username: string, password: string): Promise<Reply<ShopBody>> {
    return this.#send("/login", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ username, password }),
    });
  }

  search(q: string): Promise<Reply<ShopBody>> {
    return this.#send(`/search?${new URLSearchParams({ q })}`);
  }

  products(sort: string, limit = "20"): Promise<Reply<ShopBody>> {
    return this.#send(`/products?${new URLSearchParams({ sort, limit })}`);
  }

  product(id: string): Promise<Reply<ShopBody>> {
    return this.#send(`/products/${encodeURIComponent(id)}`);
  }

  async #send(path: string, init?: RequestInit): Promise<Reply<ShopBody>> {
    const start = performance.now();
    const response = await fetch(`${this.baseUrl}${path}`, init);
    const body = (await response.json()) as ShopBody;
    return { status: response.status, body, ms: performance.now() - start };
  }
}
