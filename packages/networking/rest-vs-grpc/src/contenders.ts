import http from "node:http";
import type { AddressInfo } from "node:net";
import { ChaosProxy } from "@playground/kit";
import type { Catalog } from "./catalog.js";
import { GrpcCatalogClient, RestCatalogClient } from "./clients.js";
import { H2RestClient, restAnswer, startRestH2 } from "./rest-over-h2.js";
import { startGrpc, startRest } from "./rest-vs-grpc.js";

/** One way to call the catalogue, optionally behind a proxy that counts its bytes on the wire. */
export interface Contender {
  name: string;
  getProduct(sku: string): Promise<unknown>;
  listProducts(limit: number): Promise<unknown>;
  /** Bytes through the proxy so far, both directions; NaN without one. */
  bytes(): number;
  close(): Promise<void>;
}

export type ContenderName = "REST/1.1 express+fetch" | "REST/1.1 node:http" | "REST/2 h2c" | "gRPC";

/** The port to dial: a byte-counting proxy in front of `port`, or `port` itself. */
interface Front {
  port: number;
  bytes(): number;
  close(): Promise<void>;
}

async function front(port: number, countBytes: boolean): Promise<Front> {
  if (!countBytes) return { port, bytes: () => Number.NaN, close: async () => {} };
  const proxy = await ChaosProxy.start({ host: "127.0.0.1", port });
  return {
    port: proxy.port,
    bytes: () => proxy.stats.bytesUp + proxy.stats.bytesDown,
    close: () => proxy.close(),
  };
}

const portOf = (url: string) => Number(new URL(url).port);

/** A plain node:http server running the same routes as the HTTP/2 one, and a kept-alive client. */
async function plainHttp1(
  catalog: Catalog,
  connections: number,
  countBytes: boolean,
): Promise<Contender> {
  const server = http.createServer((req, res) => {
    const { status, body } = restAnswer(catalog, req.url ?? "/");
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const via = await front((server.address() as AddressInfo).port, countBytes);
  const agent = new http.Agent({ keepAlive: true, maxSockets: connections });
  const get = (path: string) =>
    new Promise<unknown>((resolve, reject) => {
      http
        .get({ host: "127.0.0.1", port: via.port, path, agent }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (chunk: string) => {
            text += chunk;
          });
          res.on("end", () => resolve(JSON.parse(text)));
        })
        .on("error", reject);
    });
  return {
    name: "REST/1.1 node:http",
    getProduct: (sku) => get(`/products/${sku}`),
    listProducts: (limit) => get(`/products?limit=${limit}`),
    bytes: via.bytes,
    async close() {
      agent.destroy();
      await via.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * Starts the servers and clients to compare, each client talking to its
 * server through a byte-counting proxy. `connections` caps HTTP/1.1 pools;
 * the HTTP/2 clients multiplex everything on one connection.
 */
export async function startContenders(
  catalog: Catalog,
  names: readonly ContenderName[],
  { connections = 16, countBytes = true }: { connections?: number; countBytes?: boolean } = {},
): Promise<Contender[]> {
  const started: Contender[] = [];
  for (const name of names) {
    if (name === "REST/1.1 express+fetch") {
      const rest = await startRest(catalog);
      const via = await front(portOf(rest.url), countBytes);
      const client = new RestCatalogClient(`http://127.0.0.1:${via.port}`);
      started.push({
        name,
        getProduct: (sku) => client.getProduct(sku),
        listProducts: (limit) => client.listProducts(limit),
        bytes: via.bytes,
        close: async () => {
          await via.close();
          await rest.close();
        },
      });
    } else if (name === "REST/1.1 node:http") {
      started.push(await plainHttp1(catalog, connections, countBytes));
    } else if (name === "REST/2 h2c") {
      const h2 = await startRestH2(catalog);
      const via = await front(portOf(h2.url), countBytes);
      const client = new H2RestClient(`http://127.0.0.1:${via.port}`);
      started.push({
        name,
        getProduct: (sku) => client.get(`/products/${sku}`),
        listProducts: (limit) => client.get(`/products?limit=${limit}`),
        bytes: via.bytes,
        close: async () => {
          await client.close();
          await via.close();
          await h2.close();
        },
      });
    } else {
      const server = await startGrpc(catalog);
      const via = await front(Number(server.address.split(":")[1]), countBytes);
      const client = new GrpcCatalogClient(`127.0.0.1:${via.port}`);
      started.push({
        name,
        getProduct: (sku) => client.getProduct(sku),
        listProducts: (limit) => client.listProducts(limit),
        bytes: via.bytes,
        close: async () => {
          client.close();
          await via.close();
          await server.close();
        },
      });
    }
  }
  return started;
}
