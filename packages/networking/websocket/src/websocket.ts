import http from "node:http";
import type { AddressInfo } from "node:net";
import express from "express";
import { type WebSocket, WebSocketServer } from "ws";
import { Emitter } from "./emitter.js";
import { EventLog, type FeedEvent } from "./event-log.js";
import { type Bus, LocalBus } from "./fan-out.js";

// A live feed: clients send chat lines, the server pushes every line (and
// its own events) to every client. HTTP can only answer requests, so the
// push needs a connection that stays open in both directions: a WebSocket.

/** What the server pushes to a WebSocket client, as JSON text frames. */
export type ServerMessage =
  | ({ type: "event" } & FeedEvent)
  | { type: "gap"; missed: number; reason: "slow consumer" };

/** One connected client, and what the heartbeat and backpressure know of it. */
export interface Peer {
  id: string;
  ws: WebSocket;
  /** Pings sent since the last pong. */
  missedPongs: number;
  /** Messages dropped since the client last kept up; reported to it as a gap. */
  dropped: number;
  droppedTotal: number;
}

export interface LiveServerOptions {
  /** Names the instance in events. Default "live". */
  name?: string;
  /** Ping every client this often, in ms; 0 turns the heartbeat off. Default 30 000. */
  heartbeatMs?: number;
  /** A client that has not answered this many pings in a row is dead. Default 2. */
  missedPongsAllowed?: number;
  /** Drop messages for a client whose unsent bytes pass this. Default 1 MiB; Infinity never drops. */
  highWaterMark?: number;
  /** How instances share messages. Default: this instance only. */
  bus?: Bus;
  /** How long a long-poll is held open, in ms. Default 25 000. */
  longPollMs?: number;
}

/** What the server tells its subscribers: the demo narrates them, tests await them. */
export interface LiveServerEvents {
  connected: { id: string };
  /** `code` 1006 means no close frame arrived: the peer vanished, or we terminated it. */
  closed: { id: string; code: number };
  terminated: { id: string; missedPongs: number };
  dropped: { id: string; bufferedAmount: number };
  delivered: { event: FeedEvent };
}

/** A ws server and an express app on one port, with heartbeat, backpressure and fan-out. */
export class LiveServer {
  readonly name: string;
  readonly log = new EventLog();
  readonly peers = new Map<string, Peer>();
  /** HTTP requests received, counting each WebSocket handshake as one. */
  requests = 0;
  readonly #events = new Emitter<LiveServerEvents>();
  readonly #options: Required<Omit<LiveServerOptions, "name" | "bus">>;
  readonly #bus: Bus;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #server: http.Server;
  readonly #polls = new AbortController();
  #heartbeat: NodeJS.Timeout | undefined;
  #nextId = 1;

  private constructor(options: LiveServerOptions) {
    this.name = options.name ?? "live";
    this.#bus = options.bus ?? new LocalBus();
    this.#options = {
      heartbeatMs: options.heartbeatMs ?? 30_000,
      missedPongsAllowed: options.missedPongsAllowed ?? 2,
      highWaterMark: options.highWaterMark ?? 1024 * 1024,
      longPollMs: options.longPollMs ?? 25_000,
    };

    // One port serves both. express handles ordinary requests; a request
    // that asks to upgrade never reaches it: Node emits `upgrade` with the
    // raw socket, and ws writes the 101 and takes the socket over.
    const app = this.#routes(express());
    this.#server = http.createServer(app);
    this.#server.on("request", () => this.requests++);
    this.#server.on("upgrade", (req, socket, head) => {
      this.requests++;
      if (new URL(req.url ?? "/", "http://x").pathname !== "/ws") {
        socket.end("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n");
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#connected(ws));
    });
  }

  /** Starts an instance on a free port of 127.0.0.1, subscribed to its bus. */
  static async start(options: LiveServerOptions = {}): Promise<LiveServer> {
    const live = new LiveServer(options);
    await live.#bus.start((message) => live.#deliver(JSON.parse(message)));
    await new Promise<void>((resolve) => live.#server.listen(0, "127.0.0.1", resolve));
    if (live.#options.heartbeatMs > 0) {
      live.#heartbeat = setInterval(() => live.#beat(), live.#options.heartbeatMs);
    }
    return live;
  }

  get port(): number {
    return (this.#server.address() as AddressInfo).port;
  }

  get url(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  on<K extends keyof LiveServerEvents>(kind: K, listener: (event: LiveServerEvents[K]) => void) {
    return this.#events.on(kind, listener);
  }

  next<K extends keyof LiveServerEvents>(
    kind: K,
    matches?: (event: LiveServerEvents[K]) => boolean,
  ): Promise<LiveServerEvents[K]> {
    return this.#events.next(kind, matches);
  }

  /** A server-initiated push: goes through the bus to every client of every instance. */
  async publish(text: string, from = "server"): Promise<void> {
    const event = { origin: this.name, from, text, at: performance.timeOrigin + performance.now() };
    await this.#bus.publish(JSON.stringify(event));
  }

  #routes(app: express.Express): express.Express {
    app.get("/health", (_req, res) => {
      res.json({ instance: this.name, clients: this.peers.size });
    });
    // A plain GET to the WebSocket path gets 426: what a client sees when a
    // proxy on the way dropped the hop-by-hop `Upgrade` header.
    app.get("/ws", (_req, res) => {
      res.status(426).set("Upgrade", "websocket").send("Upgrade Required\n");
    });
    // HTTP's only way to "push" is to be asked: the client polls for what
    // came after the last event it saw. `wait=1` holds the request open until
    // something arrives (long-polling); without it we answer at once.
    app.get("/events", async (req, res) => {
      const after = Number(req.query.after ?? 0);
      const events =
        req.query.wait === "1"
          ? await this.log.waitAfter(after, this.#options.longPollMs, this.#polls.signal)
          : this.log.after(after);
      res.json(events);
    });
    return app;
  }

  #connected(ws: WebSocket): void {
    const peer: Peer = {
      id: `${this.name}-${this.#nextId++}`,
      ws,
      missedPongs: 0,
      dropped: 0,
      droppedTotal: 0,
    };
    this.peers.set(peer.id, peer);
    ws.on("pong", () => {
      peer.missedPongs = 0;
    });
    ws.on("message", (data) => {
      this.publish(String(data), peer.id).catch(() => {});
    });
    ws.on("close", (code) => {
      this.peers.delete(peer.id);
      this.#events.emit("closed", { id: peer.id, code });
    });
    ws.on("error", () => ws.terminate());
    this.#events.emit("connected", { id: peer.id });
  }

  // The heartbeat. A frozen process still has a kernel that acknowledges
  // our bytes; a dead host or a cut path sends no FIN, and TCP gives up on
  // it only after minutes of retransmissions, or never if we send nothing.
  // So we ask the application itself: a ping every `heartbeatMs`, and a
  // peer that let `missedPongsAllowed` of them pass unanswered is
  // terminated, without a closing handshake it could not answer.
  #beat(): void {
    for (const peer of this.peers.values()) {
      if (peer.missedPongs >= this.#options.missedPongsAllowed) {
        this.#events.emit("terminated", { id: peer.id, missedPongs: peer.missedPongs });
        peer.ws.terminate();
        continue;
      }
      peer.missedPongs++;
      peer.ws.ping();
    }
  }

  // Every message, from this instance or another, arrives here through the
  // bus, so each instance's clients see one order: the bus's.
  #deliver(published: Omit<FeedEvent, "seq">): void {
    const event = this.log.append(published);
    const frame = JSON.stringify({ type: "event", ...event } satisfies ServerMessage);
    for (const peer of this.peers.values()) this.#send(peer, frame);
    this.#events.emit("delivered", { event });
  }

  // Backpressure. `send` never blocks: bytes the socket cannot take yet wait
  // in memory, and `bufferedAmount` says how many. A client that stops
  // reading would make that grow without bound. So past `highWaterMark` we
  // drop its messages, and once it catches up we tell it how many it missed.
  #send(peer: Peer, frame: string): void {
    if (peer.ws.readyState !== peer.ws.OPEN) return;
    if (peer.ws.bufferedAmount > this.#options.highWaterMark) {
      peer.dropped++;
      peer.droppedTotal++;
      this.#events.emit("dropped", { id: peer.id, bufferedAmount: peer.ws.bufferedAmount });
      return;
    }
    if (peer.dropped > 0) {
      const gap: ServerMessage = { type: "gap", missed: peer.dropped, reason: "slow consumer" };
      peer.ws.send(JSON.stringify(gap));
      peer.dropped = 0;
    }
    peer.ws.send(frame);
  }

  async close(): Promise<void> {
    clearInterval(this.#heartbeat);
    this.#polls.abort();
    for (const peer of this.peers.values()) peer.ws.terminate();
    this.#wss.close();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
    await this.#bus.close();
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
