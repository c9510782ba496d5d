import net from "node:net";

/** A port that was free a moment ago on 127.0.0.1, chosen by the kernel. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
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
