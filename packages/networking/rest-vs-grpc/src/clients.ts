import * as grpc from "@grpc/grpc-js";
import type { Product } from "./catalog.js";
import type { CatalogClient } from "./generated/catalog/v1/Catalog.js";
import type { ListProductsResponse__Output } from "./generated/catalog/v1/ListProductsResponse.js";
import type { Product__Output } from "./generated/catalog/v1/Product.js";
import { proto } from "./grpc-loader.js";

// The two clients a caller writes. The REST one is hand-written: a URL we
// spell ourselves, and a cast that trusts the server's JSON. The gRPC one
// is built from the .proto: the method names, request and response types
// come from the generated types, and a typo does not compile.

/** The server answered, but not with a success. */
export class RestError extends Error {
  override name = "RestError";

  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`the catalogue answered ${status}: ${JSON.stringify(body)}`);
  }
}

/** Hand-written `fetch` code: nothing checks that `Product` is what the server sends. */
export class RestCatalogClient {
  constructor(readonly baseUrl: string) {}

  async getProduct(sku: string, signal?: AbortSignal): Promise<Product> {
    return this.#get(`/products/${encodeURIComponent(sku)}`, signal) as Promise<Product>;
  }

  async listProducts(limit: number): Promise<{ products: Product[] }> {
    return this.#get(`/products?limit=${limit}`) as Promise<{ products: Product[] }>;
  }

  async #get(path: string, signal?: AbortSignal): Promise<unknown> {
    const response = await fetch(`${this.baseUrl}${path}`, signal ? { signal } : {});
    const body: unknown = await response.json();
    if (!response.ok) throw new RestError(response.status, body);
    return body;
  }
}

/**
 * The typed gRPC client. `CatalogClient` is generated; the promise wrapper
 * is ours, because grpc-js's unary calls take callbacks.
 */
export class GrpcCatalogClient {
  readonly client: CatalogClient;

  constructor(address: string) {
    this.client = new proto.catalog.v1.Catalog(address, grpc.credentials.createInsecure());
  }

  /** `deadlineMs` from now travels with the call; past it, DEADLINE_EXCEEDED. */
  getProduct(sku: string, { deadlineMs }: { deadlineMs?: number } = {}): Promise<Product__Output> {
    const options: grpc.CallOptions = deadlineMs ? { deadline: Date.now() + deadlineMs } : {};
    return new Promise((resolve, reject) =>
      this.client.GetProduct({ sku }, options, (error, product) =>
        error ? reject(error) : resolve(product!),
      ),
    );
  }

  listProducts(limit: number): Promise<ListProductsResponse__Output> {
    return new Promise((resolve, reject) =>
      this.client.ListProducts({ limit }, (error, page) =>
        error ? reject(error) : resolve(page!),
      ),
    );
  }

  close(): void {
    this.client.close();
  }
}

/** The gRPC status of a failed call, e.g. `grpc.status.NOT_FOUND`. */
export function grpcCode(error: unknown): grpc.status | undefined {
  return (error as Partial<grpc.ServiceError> | undefined)?.code;
}
