import { EventEmitter, once } from "node:events";
import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * A local HTTP server for the examples: `GET /slow?ms=100` answers after
 * 100 ms, `GET /fail` answers 500 at once. It counts what happened to each
 * request, so a test can see work finish or be abandoned.
 */
export interface SlowServer extends AsyncDisposable {
  /** `http://127.0.0.1:<port>` */
  origin: string;
  /** Requests that got their answer. */
  readonly served: number;
  /** Requests whose client went away before the answer. */
  readonly abandoned: number;
  /** Resolves once `served` reaches `count`. */
  servedAtLeast(count: number): Promise<void>;
  /** Resolves on the next request that arrives. */
  nextRequest(): Promise<void>;
  /** Resolves on the next request whose client goes away before the answer. */
  nextAbandoned(): Promise<void>;
  close(): Promise<void>;
}

/** Starts a {@link SlowServer} on a free port of 127.0.0.1. */
export async function startSlowServer(): Promise<SlowServer> {
  const events = new EventEmitter();
  let served = 0;
  let abandoned = 0;
  const server = http.createServer((req, res) => {
    const url = new URL(req.url ?? "/", "http://localhost");
    events.emit("request");
    const answer = (status: number, body: string) => {
      res.writeHead(status, { "content-type": "text/plain" }).end(body);
      served++;
      events.emit("served");
    };
    if (url.pathname === "/fail") return answer(500, "failed");
    const timer = setTimeout(
      () => answer(200, `slept ${url.searchParams.get("ms")} ms`),
      Number(url.searchParams.get("ms") ?? 100),
    );
    res.on("close", () => {
      if (res.writableEnded) return;
      clearTimeout(timer); // the client left: we stop the work
      abandoned++;
      events.emit("abandoned");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return {
    origin: `http://127.0.0.1:${port}`,
    get served() {
      return served;
    },
    get abandoned() {
      return abandoned;
    },
    async servedAtLeast(count) {
      while (served < count) await once(events, "served");
    },
    nextRequest: async () => {
      await once(events, "request");
    },
    nextAbandoned: async () => {
      await once(events, "abandoned");
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}
