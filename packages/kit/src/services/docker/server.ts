import net from "node:net";
import type { Readable } from "node:stream";
import {
  BoundPorts,
  type ContainerRuntimeClient,
  GenericContainer,
  getContainerRuntimeClient,
  type StartedNetwork,
  Wait,
  type WaitStrategy,
} from "testcontainers";
import { ServiceStartError, ServiceUnavailableError } from "../../errors.js";
import { freePort } from "../../proc/ports.js";
import { IMAGES } from "../images.js";
import { progress } from "../progress.js";
import type { ServiceHandle, ServiceName } from "../types.js";

/** The dockerode container behind a started container (testcontainers' own type for it). */
export type Container = ReturnType<ContainerRuntimeClient["container"]["getById"]>;

/**
 * Cold starts on a 2-vCPU CI runner take up to ~17 s for PostgreSQL
 * (testcontainers-node#1446) and longer for the JVMs; image pulls come on
 * top of this and are not counted by testcontainers.
 */
export const STARTUP_TIMEOUT_MS = 120_000;

/** What a recipe knows about the container it configures. */
export interface DockerContext {
  /** Where the host reaches the published port: `127.0.0.1` for a local engine. */
  readonly host: string;
  /** The fixed host port, chosen before the first start and kept for the container's life. */
  readonly port: number;
}

/**
 * How to run one kind of server in a container. The generic part (fixed
 * port, lifecycle through the Docker API, cleanup) is in {@link DockerServer};
 * a recipe holds only what differs, like the local backend's recipes.
 */
export interface DockerRecipe {
  service: ServiceName;
  /** Environment, command, files: everything but the image and the port. */
  configure(container: GenericContainer, ctx: DockerContext): GenericContainer;
  /**
   * A fresh wait strategy that resolves once the server answers. `first` is
   * the container's very first start, when an image may run its init steps.
   */
  ready(ctx: DockerContext, first: boolean): WaitStrategy;
  /** Seconds a clean stop may take before Docker sends SIGKILL (default 10). */
  stopTimeoutS?: number;
  url(ctx: DockerContext): string;
}

/** A user-defined network to join, and this container's name on it. */
export interface NetworkSlot {
  network: StartedNetwork;
  alias: string;
}

/** `Wait.forLogMessage` with our generous timeout. */
export function forLog(message: RegExp, times = 1): WaitStrategy {
  return Wait.forLogMessage(message, times).withStartupTimeout(STARTUP_TIMEOUT_MS);
}

/**
 * Readiness decided by a probe from the host through the published port,
 * for servers that print nothing useful when ready (memcached, ZooKeeper,
 * ElasticMQ). A plain "port open" check is not enough: Docker's port proxy
 * accepts connections before the server inside listens.
 */
export class ProbeWaitStrategy implements WaitStrategy {
  #timeoutMs = STARTUP_TIMEOUT_MS;
  #timeoutSet = false;

  constructor(
    private readonly what: string,
    private readonly probe: () => Promise<boolean>,
  ) {}

  async waitUntilReady(container: Container): Promise<void> {
    const deadline = Date.now() + this.#timeoutMs;
    for (;;) {
      if (await this.probe().catch(() => false)) return;
      const { State } = await container.inspect();
      if (!State.Running) throw new Error(`the container exited with code ${State.ExitCode}`);
      if (Date.now() > deadline)
        throw new Error(`${this.what} did not answer within ${this.#timeoutMs} ms`);
      await sleep(100);
    }
  }

  withStartupTimeout(startupTimeoutMs: number): this {
    this.#timeoutMs = startupTimeoutMs;
    this.#timeoutSet = true;
    return this;
  }

  isStartupTimeoutSet(): boolean {
    return this.#timeoutSet;
  }

  getStartupTimeout(): number {
    return this.#timeoutMs;
  }
}

/** Sends `request` over TCP and resolves whether the reply matches `expect`. */
export function tcpProbe(
  host: string,
  port: number,
  request: string,
  expect: RegExp,
  timeoutMs = 1000,
): Promise<boolean> {
  return new Promise((resolve) => {
    let reply = "";
    const socket = net.connect({ host, port });
    const done = (ok: boolean) => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once("connect", () => socket.write(request));
    socket.on("data", (chunk) => {
      reply += chunk.toString("utf8");
      if (expect.test(reply)) done(true);
    });
    socket.once("error", () => done(false));
    socket.once("close", () => done(expect.test(reply)));
  });
}

/** Resolves whether anything answers HTTP at `url`, whatever the status. */
export async function httpProbe(url: string, timeoutMs = 1000): Promise<boolean> {
  const response = await fetch(url, { signal: AbortSignal.timeout(timeoutMs) });
  await response.body?.cancel();
  return true;
}

function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

function message(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

function statusCode(err: unknown): number | undefined {
  return (err as { statusCode?: number } | null)?.statusCode;
}

/** The container runtime, or an error that says how to get one. */
export async function runtimeClient(): Promise<ContainerRuntimeClient> {
  try {
    return await getContainerRuntimeClient();
  } catch (err) {
    throw new ServiceUnavailableError(
      `No container runtime answers (${message(err)}): start Docker, or set PLAYGROUND_INFRA=local to use installed servers.`,
    );
  }
}

/** Whether the runtime publishes ports on this machine's loopback interface. */
function isLocalEngine(host: string): boolean {
  return host === "localhost" || host === "::1" || /^127\./.test(host);
}

/** The host name clients use for published ports; a local engine's is 127.0.0.1, as in the local backend. */
export function publishedHost(client: ContainerRuntimeClient): string {
  const host = client.info.containerRuntime.host;
  return isLocalEngine(host) ? "127.0.0.1" : host;
}

/**
 * A GenericContainer whose published ports listen on 127.0.0.1 only, when
 * the engine is local. PostgreSQL runs with trust authentication and Redis
 * without a password, so they must not be reachable from the LAN.
 * `beforeContainerCreated` is testcontainers' hook for changing the create
 * options, which `withExposedPorts` has already filled in.
 */
class PlaygroundContainer extends GenericContainer {
  constructor(
    image: string,
    private readonly loopbackOnly: boolean,
  ) {
    super(image);
  }

  protected override async beforeContainerCreated(): Promise<void> {
    if (!this.loopbackOnly) return;
    const bindings = this.hostConfig.PortBindings as
      | Record<string, { HostIp?: string; HostPort?: string }[]>
      | undefined;
    for (const list of Object.values(bindings ?? {})) {
      for (const binding of list) binding.HostIp = "127.0.0.1";
    }
  }
}

/** Docker refused the fixed port: something took it between `freePort()` and the bind. */
function portTaken(err: unknown): boolean {
  return /port is already allocated|address already in use/i.test(message(err));
}

/** The last `max` characters of what a container printed, for error messages. */
function tail(text: string, max = 2000): string {
  const trimmed = text.trimEnd();
  return trimmed.length > max ? `…${trimmed.slice(-max)}` : trimmed;
}

/**
 * Docker's log stream for a container without a TTY is multiplexed: each
 * frame has an 8-byte header (stream, 3 zero bytes, big-endian length).
 * Anything else is taken as plain text.
 */
export function demuxLogs(buffer: Buffer): string {
  const parts: Buffer[] = [];
  let offset = 0;
  while (offset + 8 <= buffer.length) {
    const stream = buffer[offset];
    if (
      (stream !== 0 && stream !== 1 && stream !== 2) ||
      buffer[offset + 1] !== 0 ||
      buffer[offset + 2] !== 0 ||
      buffer[offset + 3] !== 0
    ) {
      return buffer.toString("utf8");
    }
    const length = buffer.readUInt32BE(offset + 4);
    parts.push(buffer.subarray(offset + 8, offset + 8 + length));
    offset += 8 + length;
  }
  if (offset !== buffer.length) return buffer.toString("utf8");
  return Buffer.concat(parts).toString("utf8");
}

/**
 * One server in a container, behind the same handle as a local server.
 *
 * The container is created once with a fixed host port, so its URL never
 * changes. After that the handle drives it through the Docker API (the
 * dockerode container testcontainers exposes): `stop` is `docker stop`,
 * `start` is `docker start` on the same container, so its data survives;
 * `kill` sends SIGKILL; `pause`/`resume` use Docker's pause API (the cgroup
 * freezer), and dispose removes the container with its volumes.
 */
export class DockerServer implements ServiceHandle {
  readonly backend = "docker" as const;
  readonly service: ServiceName;
  #disposed = false;

  private constructor(
    private readonly recipe: DockerRecipe,
    private readonly ctx: DockerContext,
    private readonly client: ContainerRuntimeClient,
    private readonly container: Container,
    private readonly label: string,
  ) {
    this.service = recipe.service;
  }

  /** Picks a free port, creates and starts the container, and waits until the server answers. */
  static async create(
    recipe: DockerRecipe,
    options: { label?: string; network?: NetworkSlot } = {},
  ): Promise<DockerServer> {
    const label = options.label ?? recipe.service;
    const client = await runtimeClient();
    const host = publishedHost(client);
    const pin = IMAGES[recipe.service];
    return progress(`${label} (docker)`, async () => {
      for (let attempt = 1; ; attempt++) {
        const ctx: DockerContext = { host, port: await freePort() };
        let output = "";
        let logStream: Readable | undefined;
        let container = new PlaygroundContainer(
          pin.image,
          isLocalEngine(client.info.containerRuntime.host),
        )
          .withExposedPorts({ container: pin.port, host: ctx.port })
          .withLabels({ "playground.service": recipe.service })
          .withWaitStrategy(recipe.ready(ctx, true))
          .withStartupTimeout(STARTUP_TIMEOUT_MS)
          .withLogConsumer((stream) => {
            logStream = stream;
            stream.on("data", (chunk: string | Buffer) => {
              output = (output + chunk.toString()).slice(-8000);
            });
            stream.on("error", () => {});
          });
        if (options.network) {
          container = container
            .withNetwork(options.network.network)
            .withNetworkAliases(options.network.alias);
        }
        try {
          const started = await recipe.configure(container, ctx).start();
          return new DockerServer(
            recipe,
            ctx,
            client,
            client.container.getById(started.getId()),
            label,
          );
        } catch (err) {
          if (attempt < 3 && portTaken(err)) continue;
          throw new ServiceStartError(
            `${label} (docker, ${pin.image}) did not start: ${message(err)}.` +
              (output ? `\nIts last output:\n${tail(output)}\n` : " ") +
              "Check that Docker can pull the image and has memory to spare, or set PLAYGROUND_INFRA=local.",
          );
        } finally {
          logStream?.destroy();
        }
      }
    });
  }

  get host(): string {
    return this.ctx.host;
  }

  get port(): number {
    return this.ctx.port;
  }

  get url(): string {
    return this.recipe.url(this.ctx);
  }

  /** The container's id, for `docker logs`, `docker exec` and the like. */
  get containerId(): string {
    return this.container.id;
  }

  async #state() {
    return (await this.client.container.inspect(this.container)).State;
  }

  async start(): Promise<void> {
    if ((await this.#state()).Running) return;
    const pin = IMAGES[this.service];
    try {
      await this.client.container.start(this.container);
      const startedAt = new Date((await this.#state()).StartedAt);
      const ports = new BoundPorts();
      ports.setBinding(pin.port, this.ctx.port);
      await this.recipe.ready(this.ctx, false).waitUntilReady(this.container, ports, startedAt);
    } catch (err) {
      const output = await this.logs().catch(() => "");
      throw new ServiceStartError(
        `${this.label} (docker) did not come back on port ${this.ctx.port}: ${message(err)}.` +
          (output ? `\nIts last output:\n${tail(output)}\n` : " ") +
          (portTaken(err)
            ? "Another process took the port while the server was stopped; start a new server instead."
            : "Dispose of this server and start a new one."),
      );
    }
  }

  async stop(): Promise<void> {
    const state = await this.#state();
    if (!state.Running) return;
    // A frozen process cannot shut down cleanly; thaw it first.
    if (state.Paused) await this.container.unpause();
    await this.client.container.stop(this.container, {
      timeout: (this.recipe.stopTimeoutS ?? 10) * 1000,
    });
  }

  async restart(): Promise<void> {
    await this.stop();
    await this.start();
  }

  async kill(): Promise<void> {
    const state = await this.#state();
    if (!state.Running) return;
    try {
      await this.container.kill({ signal: "SIGKILL" });
    } catch (err) {
      // Some engines refuse to signal a paused container: thaw it, then kill.
      if (!state.Paused) throw err;
      await this.container.unpause();
      await this.container.kill({ signal: "SIGKILL" });
    }
    // Where the engine accepted SIGKILL for a frozen container, the signal waits for
    // a thaw; a thawed process handles it before running another instruction.
    if (state.Paused && (await this.#state()).Paused) {
      await this.container.unpause().catch(() => {});
    }
    // `docker kill` returns once the signal is sent; wait until the container is down,
    // so that a `start()` straight after does start it again.
    const deadline = Date.now() + 10_000;
    while ((await this.#state()).Running) {
      if (Date.now() > deadline)
        throw new ServiceStartError(
          `${this.label} (docker) was still running 10 s after SIGKILL: check \`docker ps\`.`,
        );
      await sleep(25);
    }
  }

  async pause(): Promise<void> {
    const state = await this.#state();
    if (state.Running && !state.Paused) await this.container.pause();
  }

  async resume(): Promise<void> {
    if ((await this.#state()).Paused) await this.container.unpause();
  }

  async logs(): Promise<string> {
    const data: unknown = await this.container.logs({ stdout: true, stderr: true, follow: false });
    // docker-modem hands back parsed JSON when a whole non-stream reply happens to be JSON.
    if (Buffer.isBuffer(data)) return demuxLogs(data);
    return typeof data === "string" ? data : JSON.stringify(data);
  }

  /** Removes the container and its volumes, whatever state it is in. */
  async [Symbol.asyncDispose](): Promise<void> {
    if (this.#disposed) return;
    this.#disposed = true;
    try {
      await this.container.remove({ force: true, v: true });
    } catch (err) {
      // 404: already gone; 409: a removal is already under way.
      const code = statusCode(err);
      if (code !== 404 && code !== 409) throw err;
    }
  }
}
