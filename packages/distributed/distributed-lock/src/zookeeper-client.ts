import {
  type Client,
  CreateMode,
  createClient,
  type Event,
  Exception,
  type Stat,
} from "node-zookeeper-client";

/**
 * node-zookeeper-client speaks in callbacks; these are the few calls the lock
 * needs, as promises. One `ZooKeeper` is one session.
 */
export class ZooKeeper {
  private constructor(readonly client: Client) {}

  /** Opens a session on `host:port`, asking for `sessionTimeoutMs` (the server may raise it). */
  static async connect(connection: string, sessionTimeoutMs = 4_000): Promise<ZooKeeper> {
    const client = createClient(connection, { sessionTimeout: sessionTimeoutMs, retries: 2 });
    let timer: NodeJS.Timeout | undefined;
    const connected = new Promise<void>((resolve, reject) => {
      client.once("connected", () => resolve());
      timer = setTimeout(() => {
        client.close();
        reject(
          new Error(
            `ZooKeeper at ${connection} opened no session within 15 s: it accepts connections ` +
              "but may not be serving. Ask it with `echo srvr | nc <host> <port>`.",
          ),
        );
      }, 15_000);
    });
    client.connect();
    await connected.finally(() => clearTimeout(timer));
    return new ZooKeeper(client);
  }

  /** What the server granted: at least 2 × its tickTime. */
  get sessionTimeoutMs(): number {
    return this.client.getSessionTimeout();
  }

  /** Resolves when the server has expired this session (its ephemeral nodes are gone). */
  expired(): Promise<void> {
    return new Promise((resolve) => this.client.once("expired", () => resolve()));
  }

  mkdirp(path: string): Promise<void> {
    return call<string>((cb) => this.client.mkdirp(path, cb)).then(() => undefined);
  }

  createEphemeralSequential(prefix: string): Promise<string> {
    return call<string>((cb) =>
      this.client.create(prefix, Buffer.alloc(0), CreateMode.EPHEMERAL_SEQUENTIAL, cb),
    );
  }

  children(path: string, watcher?: (event: Event) => void): Promise<string[]> {
    return call<string[]>((cb) =>
      watcher ? this.client.getChildren(path, watcher, cb) : this.client.getChildren(path, cb),
    );
  }

  /** The node's stat, or undefined if it does not exist; `watcher` fires on its next change. */
  async exists(path: string, watcher?: (event: Event) => void): Promise<Stat | undefined> {
    const stat = await call<Stat | null>((cb) =>
      watcher ? this.client.exists(path, watcher, cb) : this.client.exists(path, cb),
    );
    return stat ?? undefined;
  }

  /** Deletes the node; a node already gone is not an error. */
  async remove(path: string): Promise<void> {
    await call<void>((cb) => this.client.remove(path, cb)).catch((error: unknown) => {
      if (!(error instanceof Exception && error.getCode() === Exception.NO_NODE)) throw error;
    });
  }

  close(): void {
    this.client.close();
  }
}

function call<T>(start: (cb: (error: Error | Exception | null, value: T) => void) => void) {
  return new Promise<T>((resolve, reject) =>
    start((error, value) => (error ? reject(error) : resolve(value))),
  );
}
