import { once } from "node:events";
import { type Transferable, Worker } from "node:worker_threads";

// Threads do not share objects. `postMessage` runs the structured clone
// algorithm: it walks the object graph and rebuilds it on the other side,
// at the moment we call it. Changes on either side stay on that side.
//
// Copying a large binary buffer costs time proportional to its size, so
// an ArrayBuffer can be *transferred* instead: the memory moves to the
// receiver and our ArrayBuffer becomes detached, with a byteLength of 0.

export interface Order {
  id: string;
  items: string[];
  total: number;
}

/** The reply to `{ kind: "order", order }`: the order as it arrived, and after the worker changed it. */
export interface OrderReply {
  seen: Order;
  after: Order;
}

/** The reply to `{ kind: "buffer", buffer }`: what arrived. */
export interface BufferReply {
  byteLength: number;
  first: number;
  last: number;
}

/** A worker thread that answers each message with what it received. */
export class Echo {
  readonly #worker = new Worker(new URL("./echo-worker.mjs", import.meta.url));

  /** Posts `message` (moving what is in `transfer`) and waits for the one reply. */
  async ask<R>(message: unknown, transfer: Transferable[] = []): Promise<R> {
    const reply = once(this.#worker, "message");
    this.#worker.postMessage(message, transfer);
    const [value] = await reply;
    return value as R;
  }

  async close(): Promise<void> {
    await this.#worker.terminate();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
