import { once } from "node:events";
import http, { type IncomingMessage, type ServerResponse } from "node:http";
import http2, { type Http2ServerRequest, type Http2ServerResponse } from "node:http2";
import type net from "node:net";
import type { SelfSigned } from "./tls-cert.js";

/** What a server saw: TCP connections, HTTP/2 sessions and streams, requests. */
export interface Counts {
  connections: number;
  sessions: number;
  streams: number;
  requests: number;
}

/** A resource server on 127.0.0.1, speaking one protocol (or two, by ALPN). */
export interface ResourceServer {
  origin: string;
  port: number;
  counts: Counts;
  /** Zeroes the counts, e.g. between two runs against the same server. */
  reset(): void;
  close(): Promise<void>;
}

// Every server here runs the same handler, so only the protocol differs.
// `GET /<anything>?delay=<ms>` answers after `delay` ms, like a resource
// that takes a database query to build; the body names the HTTP version
// the request came in on, so a client can tell which protocol it got.
function handle(
  req: IncomingMessage | Http2ServerRequest,
  res: ServerResponse | Http2ServerResponse,
) {
  const url = new URL(req.url ?? "/", "http://localhost");
  const delay = Number(url.searchParams.get("delay") ?? 0);
  const timer = setTimeout(() => {
    res.setHeader("content-type", "text/plain");
    res.end(`${url.pathname} over HTTP/${req.httpVersion}`);
  }, delay);
  res.on("close", () => clearTimeout(timer));
}

type AnyServer = http.Server | http2.Http2Server | http2.Http2SecureServer;

async function serve(server: AnyServer, scheme: "http" | "https"): Promise<ResourceServer> {
  const counts: Counts = { connections: 0, sessions: 0, streams: 0, requests: 0 };
  const sockets = new Set<net.Socket>();
  const sessions = new Set<http2.ServerHttp2Session>();
  server.on("connection", (socket: net.Socket) => {
    counts.connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  server.on("session", (session: http2.ServerHttp2Session) => {
    counts.sessions++;
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  server.on("stream", () => counts.streams++);
  server.on("request", () => counts.requests++);
  server.listen(0, "127.0.0.1");
  await once(server, "listening");
  const { port } = server.address() as net.AddressInfo;
  return {
    origin: `${scheme}://127.0.0.1:${port}`,
    port,
    counts,
    reset() {
      Object.assign(counts, { connections: 0, sessions: 0, streams: 0, requests: 0 });
    },
    async close() {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const session of sessions) session.destroy();
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** HTTP/1.1 over cleartext TCP (`node:http`). */
export function startHttp1Server(): Promise<ResourceServer> {
  return serve(http.createServer({ keepAliveTimeout: 30_000 }, handle), "http");
}

/** HTTP/2 over cleartext TCP, "h2c" (`node:http2`), as between services. */
export function startH2cServer(): Promise<ResourceServer> {
  return serve(http2.createServer(handle), "http");
}

/** HTTP/2 and HTTP/1.1 on one TLS port: ALPN lets each client pick, as browsers do. */
export function startTlsServer(cert: SelfSigned): Promise<ResourceServer> {
  return serve(http2.createSecureServer({ ...cert, allowHTTP1: true }, handle), "https");
}
