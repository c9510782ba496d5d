import { WebSocket } from "ws";
import { Emitter } from "./emitter.js";
import type { FeedEvent } from "./event-log.js";
import type { ServerMessage } from "./websocket.js";

/** The time now, in ms since the epoch, to the microsecond. */
export const now = (): number => performance.timeOrigin + performance.now();

/** What a client received, and when. */
export interface Received {
  message: ServerMessage;
  receivedAt: number;
}

/**
 * A WebSocket client of the live feed (the `ws` client, as Node code would
 * use it). It keeps what it received so tests and the demo can wait for it.
 */
export class FeedClient {
  readonly received: Received[] = [];
  /** Resolves with the close code once the connection is gone. */
  readonly closed: Promise<number>;
  readonly #changes = new Emitter<{ changed: undefined }>();

  private constructor(readonly ws: WebSocket) {
    ws.on("message", (data) => {
      this.received.push({ message: JSON.parse(String(data)), receivedAt: now() });
      this.#changes.emit("changed", undefined);
    });
    this.closed = new Promise((resolve) => ws.once("close", (code) => resolve(code)));
  }

  /** Connects to `url` (`ws://…/ws`) and resolves once the handshake is done. */
  static async connect(url: string): Promise<FeedClient> {
    const ws = new WebSocket(url);
    const client = new FeedClient(ws);
    await new Promise<void>((resolve, reject) => {
      ws.once("open", () => resolve());
      ws.once("error", reject);
      // With this listener, closing the refused request is up to us.
      ws.once("unexpected-response", (req, res) => {
        req.destroy();
        reject(new Error(`the server answered ${res.statusCode}, not 101 Switching Protocols`));
      });
    });
    ws.on("error", () => {});
    return client;
  }

  /** The feed events received, in order. */
  get events(): FeedEvent[] {
    return this.received.flatMap(({ message }) => (message.type === "event" ? [message] : []));
  }

  get open(): boolean {
    return this.ws.readyState === WebSocket.OPEN;
  }

  /** Resolves once `condition` holds, re-checked on every message. */
  until(condition: (client: FeedClient) => boolean): Promise<void> {
    if (condition(this)) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const off = this.#changes.on("changed", () => {
        if (!condition(this)) return;
        off();
        resolve();
      });
      this.closed.then(() => {
        off();
        reject(new Error("the connection closed before the condition held"));
      });
    });
  }

  /** Resolves with the first event whose text is `text`. */
  async eventWithText(text: string): Promise<FeedEvent> {
    await this.until((c) => c.events.some((e) => e.text === text));
    return this.events.find((e) => e.text === text)!;
  }

  send(text: string): void {
    this.ws.send(text);
  }

  /** Stops reading from the socket: the kernel buffers fill and the server's backs up. */
  pause(): void {
    this.ws.pause();
  }

  resume(): void {
    this.ws.resume();
  }

  async close(): Promise<void> {
    if (this.ws.readyState === WebSocket.CLOSED) return;
    this.ws.terminate();
    await this.closed;
  }
}
