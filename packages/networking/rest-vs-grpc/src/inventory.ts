import * as grpc from "@grpc/grpc-js";
import type { InventoryHandlers } from "./generated/catalog/v1/Inventory.js";
import { proto } from "./grpc-loader.js";

/** What the inventory saw of one call: the deadline it was given, and whether it was cancelled. */
export interface StockCall {
  sku: string;
  /** The deadline as the server received it, in ms since the epoch; Infinity if none. */
  deadline: number;
  cancelled: boolean;
}

/**
 * The catalogue's dependency: a gRPC service that takes `delayMs` (which may
 * change while it runs) to answer,
 * and records each call's deadline and cancellation, so a test can see a
 * deadline set two hops away arrive here.
 */
export class InventoryServer {
  readonly calls: StockCall[] = [];
  readonly #cancelled = new Set<() => void>();

  private constructor(
    private readonly server: grpc.Server,
    readonly address: string,
    public delayMs: number,
  ) {}

  static async start({ delayMs }: { delayMs: number }): Promise<InventoryServer> {
    const server = new grpc.Server();
    let inventory: InventoryServer | undefined;
    const handlers: InventoryHandlers = {
      GetStock(call, callback) {
        const deadline = call.getDeadline();
        const seen: StockCall = {
          sku: call.request.sku,
          deadline: deadline instanceof Date ? deadline.getTime() : deadline,
          cancelled: false,
        };
        inventory!.calls.push(seen);
        let answered = false;
        const timer = setTimeout(() => {
          answered = true;
          callback(null, { sku: seen.sku, units: 7 });
        }, inventory!.delayMs);
        // grpc-js also emits `cancelled` when a finished call's stream closes.
        call.on("cancelled", () => {
          if (answered) return;
          clearTimeout(timer);
          seen.cancelled = true;
          for (const notify of [...inventory!.#cancelled]) notify();
        });
      },
    };
    server.addService(proto.catalog.v1.Inventory.service, handlers);
    const port = await new Promise<number>((resolve, reject) =>
      server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
        error ? reject(error) : resolve(bound),
      ),
    );
    inventory = new InventoryServer(server, `127.0.0.1:${port}`, delayMs);
    return inventory;
  }

  /** Resolves once some call has been cancelled. */
  untilCancelled(): Promise<StockCall> {
    return new Promise((resolve) => {
      const check = () => {
        const call = this.calls.find((c) => c.cancelled);
        if (!call) return;
        this.#cancelled.delete(check);
        resolve(call);
      };
      this.#cancelled.add(check);
      check();
    });
  }

  async close(): Promise<void> {
    this.server.forceShutdown();
  }
}
