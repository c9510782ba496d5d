import dgram from "node:dgram";
import { once } from "node:events";
import { seededRandom } from "./prng.js";

/** How the relay mistreats the datagrams that pass through it. */
export interface RelayFaults {
  /** Share of datagrams dropped, 0 to 1. */
  dropRate: number;
  /** Share of the surviving datagrams held back and sent after later ones, 0 to 1. */
  reorderRate: number;
  /** How many later datagrams overtake one that is held back. */
  reorderDistance?: number;
  /** Seeds the generator, so the same run loses the same datagrams. */
  seed: number;
}

interface Held {
  datagram: Buffer;
  overtakenBy: number;
}

/**
 * A UDP relay on 127.0.0.1 that forwards every datagram it receives to
 * `target`, after dropping some and holding others back so that later
 * datagrams overtake them: a bad network path, made reproducible by a seed.
 * It counts what it did, so a test can compare with what the receiver saw.
 */
export class LossyUdpRelay {
  /** Datagrams received, dropped, forwarded, and forwarded after a later one. */
  readonly stats = { seen: 0, dropped: 0, forwarded: 0, reordered: 0 };
  readonly #held: Held[] = [];
  readonly #random: () => number;
  readonly #distance: number;
  readonly #waiters = new Set<() => void>();

  private constructor(
    private readonly socket: dgram.Socket,
    private readonly target: { port: number },
    private readonly faults: RelayFaults,
  ) {
    this.#random = seededRandom(faults.seed);
    this.#distance = faults.reorderDistance ?? 3;
    socket.on("message", (datagram) => this.#relay(datagram));
  }

  static async start(target: { port: number }, faults: RelayFaults): Promise<LossyUdpRelay> {
    // A relay that reads slower than it is written to would drop datagrams
    // in the kernel on top of the ones we drop on purpose; a large receive
    // buffer keeps the only losses the ones we count.
    const socket = dgram.createSocket({ type: "udp4", recvBufferSize: 4 * 1024 * 1024 });
    socket.bind(0, "127.0.0.1");
    await once(socket, "listening");
    return new LossyUdpRelay(socket, target, faults);
  }

  get port(): number {
    return this.socket.address().port;
  }

  #relay(datagram: Buffer): void {
    this.stats.seen++;
    if (this.#random() < this.faults.dropRate) {
      this.stats.dropped++;
    } else if (this.#random() < this.faults.reorderRate) {
      this.#held.push({ datagram, overtakenBy: 0 });
    } else {
      this.#forward(datagram);
      for (const held of this.#held) held.overtakenBy++;
      while (this.#held.length > 0 && this.#held[0]!.overtakenBy >= this.#distance) {
        this.#release(this.#held.shift()!);
      }
    }
    for (const check of [...this.#waiters]) check();
  }

  #release(held: Held): void {
    if (held.overtakenBy > 0) this.stats.reordered++;
    this.#forward(held.datagram);
  }

  #forward(datagram: Buffer): void {
    this.stats.forwarded++;
    this.socket.send(datagram, this.target.port, "127.0.0.1");
  }

  /**
   * Sends whatever is still held back. The tail of a run has nothing behind
   * it to overtake it, so the sender calls this once it has sent everything.
   */
  flush(): void {
    for (const held of this.#held.splice(0)) this.#release(held);
  }

  /** Resolves once `condition` holds, re-checked on every datagram. */
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

  async close(): Promise<void> {
    this.#waiters.clear();
    await new Promise<void>((resolve) => this.socket.close(() => resolve()));
  }
}
