import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";

/** How the dependency behaves right now. */
export type FlakyMode =
  | { kind: "healthy" }
  | { kind: "failing" }
  | { kind: "slow"; delayMs: number }
  | { kind: "recovering"; failuresLeft: number };

/** What the dependency answers when it answers well. */
export interface Price {
  sku: string;
  price: number;
}

/**
 * A real HTTP dependency on 127.0.0.1 whose behaviour can be switched while it
 * runs. It counts every request it receives, and every request whose client
 * gave up before it answered, so a test can see what the breaker spared it.
 */
export class FlakyService {
  mode: FlakyMode = { kind: "healthy" };
  /** Requests received, whatever the mode. */
  hits = 0;
  /** Requests the client abandoned before the answer was sent. */
  abandoned = 0;
  readonly #waiters = new Set<() => void>();

  private constructor(
    private readonly server: Server,
    readonly port: number,
  ) {}

  static async start(): Promise<FlakyService> {
    const app = express();
    const server = await new Promise<Server>((resolve, reject) => {
      const listening = app.listen(0, "127.0.0.1", (error?: Error) =>
        error ? reject(error) : resolve(listening),
      );
    });
    const service = new FlakyService(server, (server.address() as AddressInfo).port);
    app.get("/price/:sku", (req, res) => service.#answer(req.params.sku, res));
    return service;
  }

  /** Where it listens: `http://127.0.0.1:<port>`. */
  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  healthy(): void {
    this.mode = { kind: "healthy" };
  }

  failing(): void {
    this.mode = { kind: "failing" };
  }

  slow(delayMs: number): void {
    this.mode = { kind: "slow", delayMs };
  }

  /** Fails the next `failures` requests with 500, then heals. */
  recovering(failures: number): void {
    this.mode = { kind: "recovering", failuresLeft: failures };
  }

  #answer(sku: string, res: express.Response): void {
    this.hits++;
    this.#changed();
    const price: Price = { sku, price: 42 };
    const mode = this.mode;
    res.on("close", () => {
      if (res.writableFinished) return;
      this.abandoned++;
      this.#changed();
    });
    switch (mode.kind) {
      case "healthy":
        res.json(price);
        return;
      case "failing":
        res.status(500).json({ error: "prices is failing" });
        return;
      case "slow": {
        const timer = setTimeout(() => res.json(price), mode.delayMs);
        res.on("close", () => clearTimeout(timer));
        return;
      }
      case "recovering":
        if (mode.failuresLeft > 0) {
          mode.failuresLeft--;
          res.status(500).json({ error: "prices is still recovering" });
        } else res.json(price);
        return;
    }
  }

  /** Resolves once `condition` holds, re-checked on every request and every abandonment. */
  until(condition: () => boolean): Promise<void> {
    return new Promise((resolve) => {
      const check = () => {
        if (!condition()) return;
        this.#waiters.delete(check);
        resolve();
      };
      this.#waiters.add(check);
      check();
    });
  }

  #changed(): void {
    for (const check of [...this.#waiters]) check();
  }

  async close(): Promise<void> {
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    this.server.closeAllConnections();
    await closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
