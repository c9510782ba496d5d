import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";

/**
 * The commands one Redis client sent, as the server saw them, through a
 * MONITOR connection: a count that does not depend on our own bookkeeping.
 * MONITOR sees every client, so we keep only those from `client`'s socket.
 */
export class CommandLog {
  readonly #seen: string[][] = [];
  readonly #waiters = new Map<string, () => void>();

  private constructor(
    private readonly monitor: Redis,
    private readonly client: Redis,
  ) {}

  /** Starts logging what `client` sends to the server at `url`. */
  static async attach(url: string, client: Redis): Promise<CommandLog> {
    const monitor = await new Redis(url, { lazyConnect: true }).monitor();
    const log = new CommandLog(monitor, client);
    const source = () => `${client.stream.localAddress}:${client.stream.localPort}`;
    monitor.on("monitor", (_time: string, args: string[], from: string) => {
      if (from !== source()) return;
      const token = args[0]?.toUpperCase() === "ECHO" ? args[1] : undefined;
      const waiter = token ? log.#waiters.get(token) : undefined;
      if (waiter) waiter();
      else log.#seen.push(args);
    });
    return log;
  }

  /**
   * Resolves with every command logged so far, once the server has shown us
   * a marker the client sends now: MONITOR is asynchronous, and this is how
   * we know it has caught up, without sleeping.
   */
  async commands(): Promise<string[][]> {
    const token = randomUUID();
    const seen = new Promise<void>((resolve) => this.#waiters.set(token, resolve));
    await this.client.echo(token);
    await seen;
    this.#waiters.delete(token);
    return [...this.#seen];
  }

  /** Forgets what was logged so far. */
  async reset(): Promise<void> {
    await this.commands();
    this.#seen.length = 0;
  }

  async close(): Promise<void> {
    this.monitor.disconnect();
  }
}
