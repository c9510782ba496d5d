import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as grpc from "@grpc/grpc-js";
import express from "express";
import { type Catalog, InvalidArgumentError, NotFoundError } from "./catalog.js";
import type { CatalogHandlers } from "./generated/catalog/v1/Catalog.js";
import type { InventoryClient } from "./generated/catalog/v1/Inventory.js";
import { proto } from "./grpc-loader.js";

// One catalogue, two APIs. Read the two servers side by side: the same
// operations, the same errors, and what each protocol gives for free.

/** How a domain error reads over HTTP: a status and a JSON body. */
export function httpError(error: unknown): { status: number; body: { error: string } } {
  if (error instanceof NotFoundError) return { status: 404, body: { error: error.message } };
  if (error instanceof InvalidArgumentError) return { status: 400, body: { error: error.message } };
  return { status: 500, body: { error: "internal error" } };
}

// REST: resources at URLs, verbs from HTTP, JSON bodies. The contract is
// whatever this code does; nothing checks a client against it (OpenAPI
// could, if we wrote and kept one). express runs on node:http, HTTP/1.1.
export async function startRest(
  catalog: Catalog,
): Promise<{ url: string; close(): Promise<void> }> {
  const app = express();
  app.get("/products/:sku", (req, res) => {
    res.json(catalog.get(req.params.sku));
  });
  app.get("/products", (req, res) => {
    res.json({ products: catalog.list(Number(req.query.limit ?? 10)) });
  });
  app.use(
    (error: unknown, _req: express.Request, res: express.Response, _next: express.NextFunction) => {
      const { status, body } = httpError(error);
      res.status(status).json(body);
    },
  );
  const server = await new Promise<Server>((resolve, reject) => {
    const listening = app.listen(0, "127.0.0.1", (error?: Error) =>
      error ? reject(error) : resolve(listening),
    );
  });
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    async close() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}

/** How a domain error reads in gRPC: one of its fixed status codes. */
export function grpcError(error: unknown): Partial<grpc.StatusObject> {
  if (error instanceof NotFoundError)
    return { code: grpc.status.NOT_FOUND, details: error.message };
  if (error instanceof InvalidArgumentError) {
    return { code: grpc.status.INVALID_ARGUMENT, details: error.message };
  }
  return { code: grpc.status.INTERNAL, details: "internal error" };
}

/** A running gRPC catalogue. */
export interface GrpcCatalogServer {
  address: string;
  close(): Promise<void>;
}

// gRPC: methods and messages from the .proto; the handler types below are
// generated from it, so a handler that returns the wrong shape does not
// compile. gRPC runs only over HTTP/2, where each call is one stream.
export async function startGrpc(
  catalog: Catalog,
  { inventory }: { inventory?: string } = {},
): Promise<GrpcCatalogServer> {
  const stockOf: InventoryClient | undefined = inventory
    ? new proto.catalog.v1.Inventory(inventory, grpc.credentials.createInsecure())
    : undefined;
  const handlers: CatalogHandlers = {
    GetProduct(call, callback) {
      let product: ReturnType<Catalog["get"]>;
      try {
        product = catalog.get(call.request.sku);
      } catch (error) {
        callback(grpcError(error));
        return;
      }
      if (!stockOf) return callback(null, product);
      // The client's deadline arrived with the call (the `grpc-timeout`
      // header). `parent: call` hands it on to the call we make, and our
      // client's cancellation too: the whole chain stops at once.
      stockOf.GetStock({ sku: product.sku }, { parent: call }, (error, stock) => {
        if (error) callback(error);
        else callback(null, { ...product, stock: stock!.units });
      });
    },
    ListProducts(call, callback) {
      try {
        callback(null, { products: catalog.list(call.request.limit) });
      } catch (error) {
        callback(grpcError(error));
      }
    },
    // Server streaming: one request, then a message per price change, for
    // as long as the client listens. REST has no equivalent in its model.
    WatchPrices(call) {
      const skus = new Set(call.request.skus);
      const stop = catalog.watch((change) => {
        if (skus.has(change.sku)) call.write(change);
      });
      call.on("cancelled", stop);
      call.on("close", stop);
    },
    // Bidirectional streaming: requests and answers interleave on one
    // stream, each quote written the moment its request is read.
    QuoteStream(call) {
      call.on("data", ({ sku, quantity }) => {
        try {
          call.write(catalog.quote(sku, quantity));
        } catch (error) {
          call.emit("error", grpcError(error));
        }
      });
      call.on("end", () => call.end());
    },
  };
  const server = new grpc.Server();
  server.addService(proto.catalog.v1.Catalog.service, handlers);
  const port = await new Promise<number>((resolve, reject) =>
    server.bindAsync("127.0.0.1:0", grpc.ServerCredentials.createInsecure(), (error, bound) =>
      error ? reject(error) : resolve(bound),
    ),
  );
  return {
    address: `127.0.0.1:${port}`,
    async close() {
      stockOf?.close();
      server.forceShutdown();
    },
  };
}
