import net from "node:net";

function tryListen(port: number): Promise<number | undefined> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.unref();
    server.once("error", () => resolve(undefined));
    server.listen(port, "127.0.0.1", () => {
      const { port: bound } = server.address() as net.AddressInfo;
      server.close(() => resolve(bound));
    });
  });
}

/**
 * A port that was free a moment ago on 127.0.0.1. We pick below the kernel's
 * ephemeral range (32768 and up on Linux): a server stopped and started on
 * the same port must not find it taken by some client's outgoing connection.
 */
export async function freePort(): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const port = await tryListen(15_000 + Math.floor(Math.random() * 17_000));
    if (port !== undefined) return port;
  }
  const port = await tryListen(0);
  if (port === undefined) throw new Error("no free TCP port on 127.0.0.1");
  return port;
}

/** Whether something accepts TCP connections on `host:port` right now. */
export function isListening(port: number, host = "127.0.0.1"): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ port, host });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Waits until `host:port` accepts connections. Some servers (memcached,
 * ZooKeeper) print nothing when they are ready, so the port is the only
 * signal; we retry with a short, growing back-off.
 */
export async function waitForPort(
  port: number,
  {
    host = "127.0.0.1",
    timeoutMs = 10_000,
    signal,
  }: { host?: string; timeoutMs?: number; signal?: AbortSignal } = {},
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delay = 10;
  while (!(await isListening(port, host))) {
    signal?.throwIfAborted();
    if (Date.now() > deadline)
      throw new Error(`nothing listened on ${host}:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, delay));
    delay = Math.min(delay * 2, 200);
  }
}
