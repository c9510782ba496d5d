import http2 from "node:http2";
import type { AddressInfo } from "node:net";
import type { Catalog } from "./catalog.js";
import { httpError } from "./rest-vs-grpc.js";

// REST names an architectural style, not a transport: resources, verbs,
// representations. Nothing in it says HTTP/1.1. Here is the same API, same
// URLs, same JSON, same statuses, on node:http2 in cleartext (h2c), with
// many requests multiplexed on one connection as gRPC does. express 5
// cannot serve it: its request and response extend node:http's, and
// crash on an Http2ServerRequest, so we route the two URLs by hand.

/** The REST API's two routes without a framework: what any server, HTTP/1.1 or 2, can run. */
export function restAnswer(catalog: Catalog, path: string): { status: number; body: unknown } {
  const url = new URL(path, "http://catalog");
  try {
    const one = /^\/products\/([^/]+)$/.exec(url.pathname);
    if (one) return { status: 200, body: catalog.get(decodeURIComponent(one[1]!)) };
    if (url.pathname === "/products") {
      return {
        status: 200,
        body: { products: catalog.list(Number(url.searchParams.get("limit") ?? 10)) },
      };
    }
    return { status: 404, body: { error: `No route ${url.pathname}.` } };
  } catch (error) {
    return httpError(error);
  }
}

/** The REST API over HTTP/2 without TLS (h2c, prior knowledge), on 127.0.0.1. */
export async function startRestH2(
  catalog: Catalog,
): Promise<{ url: string; connections: () => number; close(): Promise<void> }> {
  const server = http2.createServer();
  const sessions = new Set<http2.ServerHttp2Session>();
  let connections = 0;
  server.on("session", (session) => {
    connections++;
    sessions.add(session);
    session.on("close", () => sessions.delete(session));
  });
  server.on("stream", (stream, headers) => {
    const { status, body } = restAnswer(catalog, String(headers[":path"] ?? "/"));
    stream.respond({ ":status": status, "content-type": "application/json; charset=utf-8" });
    stream.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    async close() {
      for (const session of sessions) session.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** One HTTP/2 connection to a REST server; every request is a stream on it. */
export class H2RestClient {
  readonly session: http2.ClientHttp2Session;

  constructor(baseUrl: string) {
    this.session = http2.connect(baseUrl);
    this.session.on("error", () => {});
  }

  get(path: string): Promise<{ status: number; body: unknown }> {
    return new Promise((resolve, reject) => {
      const stream = this.session.request({ ":method": "GET", ":path": path });
      let status = 0;
      let text = "";
      stream.setEncoding("utf8");
      stream.on("response", (headers) => {
        status = Number(headers[":status"]);
      });
      stream.on("data", (chunk: string) => {
        text += chunk;
      });
      stream.on("end", () => resolve({ status, body: JSON.parse(text) }));
      stream.on("error", reject);
    });
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.session.close(() => resolve()));
  }
}
