import { createServer, type RequestListener, Server } from "node:http";
import type { AddressInfo } from "node:net";

/** A server listening on 127.0.0.1 on a free port. */
export interface Listening {
  url: string;
  port: number;
  server: Server;
  /** Stops listening and drops every open connection, keep-alive ones included. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/**
 * Starts an HTTP server (or a request handler such as an express app) on
 * 127.0.0.1, port 0, and resolves once it listens. Every test and demo
 * server in the playground starts this way, so none can collide.
 */
export async function listen(target: Server | RequestListener): Promise<Listening> {
  const server = target instanceof Server ? target : createServer(target);
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `http://127.0.0.1:${port}`, port, server, close, [Symbol.asyncDispose]: close };
}
