import type { ChaosProxy } from "../chaos/proxy.js";

/** Every kind of server the playground can start. */
export type ServiceName =
  | "postgres"
  | "redis"
  | "rabbitmq"
  | "kafka"
  | "memcached"
  | "zookeeper"
  | "sqs"
  | "mariadb";

export const SERVICE_NAMES: readonly ServiceName[] = [
  "postgres",
  "redis",
  "rabbitmq",
  "kafka",
  "memcached",
  "zookeeper",
  "sqs",
  "mariadb",
];

/** Where a server came from. `external` is a URL we were given and do not own. */
export type BackendKind = "local" | "docker" | "external";

/**
 * One running server. The connection details are getters, because a docker
 * container may come back on a different address after a restart; the local
 * backend keeps its port.
 */
export interface ServiceHandle {
  readonly service: ServiceName;
  readonly backend: BackendKind;
  readonly host: string;
  readonly port: number;
  /** A URL a client library accepts, e.g. `postgres://postgres@127.0.0.1:5433/postgres`. */
  readonly url: string;
  /** Starts the server again after `stop()` or `kill()`, with its data. */
  start(): Promise<void>;
  /** A clean shutdown. */
  stop(): Promise<void>;
  restart(): Promise<void>;
  /** A crash: SIGKILL, no clean shutdown, no flush. */
  kill(): Promise<void>;
  /** Freezes the server (SIGSTOP, or the Docker pause API) without closing its sockets. */
  pause(): Promise<void>;
  resume(): Promise<void>;
  /** What the server has printed so far. */
  logs(): Promise<string>;
  /** Stops the server and removes everything it left behind. */
  [Symbol.asyncDispose](): Promise<void>;
}

/** A primary and one replica that streams from it. */
export interface ReplicatedHandle {
  readonly primary: ServiceHandle;
  readonly replica: ServiceHandle;
  /**
   * The replication link, through a chaos proxy: `link.blackhole()` partitions
   * the replica from the primary, `link.latency(ms)` makes it lag.
   */
  readonly link: ChaosProxy;
  [Symbol.asyncDispose](): Promise<void>;
}

export interface ServiceOptions {
  /**
   * A server of our own, never a shared one or a `PLAYGROUND_<SERVICE>_URL`.
   * Tests that stop, kill or pause a server must ask for one.
   */
  dedicated?: boolean;
  /**
   * Extra command-line flags for the server, on both backends (Redis only,
   * for now: `["--appendonly", "yes"]`). A server started with its own flags
   * is always a dedicated one.
   */
  args?: string[];
}
