import http from "node:http";
import type { AddressInfo } from "node:net";

/** A local HTTP server that answers every request after `delayMs`. */
export interface SlowServer extends AsyncDisposable {
  url: string;
  delayMs: number;
  /** Requests answered so far. */
  readonly served: number;
  /** The most requests that were waiting at the same moment. */
  readonly maxInFlight: number;
  close(): Promise<void>;
}

/** Starts a {@link SlowServer} on a free port of 127.0.0.1. */
export async function startSlowServer(delayMs: number): Promise<SlowServer> {
  let inFlight = 0;
  let maxInFlight = 0;
  let served = 0;
  const server = http.createServer((_req, res) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    setTimeout(() => {
      inFlight--;
      served++;
      res.end("done");
    }, delayMs);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  };
  return {
    url: `http://127.0.0.1:${port}/`,
    delayMs,
    get served() {
      return served;
    },
    get maxInFlight() {
      return maxInFlight;
    },
    close,
    [Symbol.asyncDispose]: close,
  };
}

/** One GET, on a connection from `agent` or else one of its own; resolves with the body. */
export function get(url: string, agent?: http.Agent): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { agent: agent ?? false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk: string) => {
        body += chunk;
      });
      res.on("end", () => resolve(body));
      res.on("error", reject);
    });
    req.on("error", reject);
  });
}
