import { Redis } from "ioredis";

// One server process can only push to the sockets it holds. Behind a load
// balancer, the sender and the receiver are often on different instances,
// so every instance publishes what it receives to a shared channel and
// delivers what the channel brings to its own clients.

/** How instances share messages: in-process only, or through Redis pub/sub. */
export interface Bus {
  /** Starts delivering every published message, from any instance, to `deliver`. */
  start(deliver: (message: string) => void): Promise<void>;
  publish(message: string): Promise<void>;
  close(): Promise<void>;
}

/** One instance alone: a published message goes straight back to its own clients. */
export class LocalBus implements Bus {
  #deliver: (message: string) => void = () => {};

  async start(deliver: (message: string) => void): Promise<void> {
    this.#deliver = deliver;
  }

  async publish(message: string): Promise<void> {
    this.#deliver(message);
  }

  async close(): Promise<void> {}
}

/**
 * Redis pub/sub. A connection in subscriber mode may not publish, so each
 * instance holds two: `pub` and `sub`. Redis hands each channel's messages to
 * every subscriber in one order, so all instances deliver them in that order.
 * Pub/sub keeps nothing: an instance that is disconnected misses messages.
 */
export class RedisBus implements Bus {
  readonly #pub: Redis;
  readonly #sub: Redis;

  constructor(
    url: string,
    readonly channel: string,
  ) {
    this.#pub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
    this.#sub = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
  }

  async start(deliver: (message: string) => void): Promise<void> {
    this.#sub.on("message", (channel: string, message: string) => {
      if (channel === this.channel) deliver(message);
    });
    await Promise.all([this.#pub.connect(), this.#sub.connect()]);
    // SUBSCRIBE resolves once Redis acknowledged it: from then on nothing is missed.
    await this.#sub.subscribe(this.channel);
  }

  async publish(message: string): Promise<void> {
    await this.#pub.publish(this.channel, message);
  }

  async close(): Promise<void> {
    this.#pub.disconnect();
    this.#sub.disconnect();
  }
}
