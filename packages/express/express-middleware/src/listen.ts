import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import type { Express } from "express";

/** A server listening on 127.0.0.1 on a free port. */
export interface Listening {
  url: string;
  server: Server;
  /** Stops listening and drops every open connection. */
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts `app` on 127.0.0.1, port 0, and resolves once it listens. */
export async function listen(app: Express): Promise<Listening> {
  const server = await new Promise<Server>((resolve, reject) => {
    const started: Server = app.listen(0, "127.0.0.1", (error?: Error) =>
      error ? reject(error) : resolve(started),
    );
  });
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  return { url: `http://127.0.0.1:${port}`, server, close, [Symbol.asyncDispose]: close };
}
