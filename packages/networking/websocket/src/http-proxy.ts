import http from "node:http";
import net from "node:net";

// Between a browser and a WebSocket server there is usually an HTTP proxy:
// a load balancer, nginx, a CDN. Two of its habits decide whether a
// WebSocket survives it, and this small reverse proxy has both.

// `Connection` and `Upgrade` are hop-by-hop headers (RFC 9110 §7.6.1): they
// speak to the next hop only, and a proxy must not forward them. A proxy
// that does only that turns the handshake into a plain GET. Upgrading
// through a proxy is something the proxy itself has to do, on purpose.
const HOP_BY_HOP = [
  "connection",
  "keep-alive",
  "proxy-connection",
  "te",
  "trailer",
  "transfer-encoding",
  "upgrade",
];

export interface ReverseProxyOptions {
  target: { host: string; port: number };
  /** Forward WebSocket upgrades (nginx: `proxy_set_header Upgrade`/`Connection`). */
  upgrades: boolean;
  /** Close a tunnel with no bytes either way for this long (nginx `proxy_read_timeout`, 60 s). */
  idleTimeoutMs?: number;
}

/** An HTTP reverse proxy on 127.0.0.1 that strips hop-by-hop headers and may tunnel upgrades. */
export class ReverseProxy {
  /** Tunnels closed by the idle timeout. */
  idleClosed = 0;
  readonly #server: http.Server;
  readonly #tunnels = new Set<net.Socket>();

  private constructor(private readonly options: ReverseProxyOptions) {
    this.#server = http.createServer((req, res) => this.#forward(req, res));
    if (options.upgrades) {
      this.#server.on("upgrade", (req, socket, head) =>
        this.#tunnel(req, socket as net.Socket, head),
      );
    }
  }

  static async start(options: ReverseProxyOptions): Promise<ReverseProxy> {
    const proxy = new ReverseProxy(options);
    await new Promise<void>((resolve) => proxy.#server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  get url(): string {
    return `http://127.0.0.1:${(this.#server.address() as net.AddressInfo).port}`;
  }

  // An ordinary request is forwarded without its hop-by-hop headers, nor
  // any header that `Connection` names. With no `upgrade` listener, Node
  // hands a handshake to this path too, and the upgrade is lost here.
  #forward(req: http.IncomingMessage, res: http.ServerResponse): void {
    const named = (req.headers.connection ?? "").split(",").map((h) => h.trim().toLowerCase());
    const headers = Object.fromEntries(
      Object.entries(req.headers).filter(
        ([name]) => !HOP_BY_HOP.includes(name) && !named.includes(name),
      ),
    );
    const upstream = http.request(
      { ...this.options.target, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on("error", () => res.destroy());
    req.pipe(upstream);
  }

  // An upgrade the proxy agrees to: it opens its own connection to the
  // server, replays the handshake with `Upgrade` and `Connection` set for
  // that hop, and from the 101 on just copies bytes both ways. Bytes it
  // cannot read (frames) it cannot judge; only silence, which it times out.
  #tunnel(req: http.IncomingMessage, socket: net.Socket, head: Buffer): void {
    const upstream = net.connect(this.options.target);
    const lines = [`${req.method} ${req.url} HTTP/1.1`];
    for (let i = 0; i < req.rawHeaders.length; i += 2) {
      lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
    }
    upstream.write(`${lines.join("\r\n")}\r\n\r\n`);
    upstream.write(head);
    socket.pipe(upstream).pipe(socket);
    const close = () => {
      socket.destroy();
      upstream.destroy();
      this.#tunnels.delete(socket);
    };
    this.#tunnels.add(socket);
    socket.on("error", close).on("close", close);
    upstream.on("error", close).on("close", close);
    if (this.options.idleTimeoutMs) {
      socket.setTimeout(this.options.idleTimeoutMs, () => {
        this.idleClosed++;
        close();
      });
    }
  }

  async close(): Promise<void> {
    for (const socket of this.#tunnels) socket.destroy();
    const closed = new Promise<void>((resolve) => this.#server.close(() => resolve()));
    this.#server.closeAllConnections();
    await closed;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}
