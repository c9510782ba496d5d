import http from "node:http";
import * as grpc from "@grpc/grpc-js";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { Catalog } from "../src/catalog.js";
import { GrpcCatalogClient, grpcCode, RestCatalogClient, RestError } from "../src/clients.js";
import { H2RestClient, startRestH2 } from "../src/rest-over-h2.js";
import { type GrpcCatalogServer, startGrpc, startRest } from "../src/rest-vs-grpc.js";

describe("one catalogue, two APIs", () => {
  let catalog: Catalog;
  let rest: Awaited<ReturnType<typeof startRest>>;
  let grpcServer: GrpcCatalogServer;
  let restClient: RestCatalogClient;
  let grpcClient: GrpcCatalogClient;

  beforeEach(async () => {
    catalog = new Catalog();
    rest = await startRest(catalog);
    grpcServer = await startGrpc(catalog);
    restClient = new RestCatalogClient(rest.url);
    grpcClient = new GrpcCatalogClient(grpcServer.address);
  });

  afterEach(async () => {
    grpcClient.close();
    await grpcServer.close();
    await rest.close();
  });

  it("when the same product is fetched over REST and over gRPC, then both return the same data", async () => {
    // Arrange
    const sku = "SKU-0042";

    // Act
    const overRest = await restClient.getProduct(sku);
    const overGrpc = await grpcClient.getProduct(sku);
    const pageOverRest = await restClient.listProducts(20);
    const pageOverGrpc = await grpcClient.listProducts(20);

    // Assert
    expect(overGrpc).toEqual(overRest);
    expect(overRest).toEqual(catalog.get(sku));
    expect(pageOverGrpc).toEqual(pageOverRest);
    expect(pageOverRest.products).toHaveLength(20);
  });

  it("when a product does not exist, then REST answers 404 and gRPC NOT_FOUND", async () => {
    // Arrange
    const missing = "SKU-9999";

    // Act
    const restError = await restClient.getProduct(missing).catch((e: unknown) => e);
    const grpcError = await grpcClient.getProduct(missing).catch((e: unknown) => e);

    // Assert
    expect(restError).toBeInstanceOf(RestError);
    expect((restError as RestError).status).toBe(404);
    expect(grpcCode(grpcError)).toBe(grpc.status.NOT_FOUND);
  });

  it("when a request is malformed, then REST answers 400 and gRPC INVALID_ARGUMENT", async () => {
    // Arrange
    const malformedSku = "sku 42";

    // Act
    const restErrors = await Promise.all([
      restClient.getProduct(malformedSku).catch((e: unknown) => e),
      restClient.listProducts(500).catch((e: unknown) => e),
    ]);
    const grpcErrors = await Promise.all([
      grpcClient.getProduct(malformedSku).catch((e: unknown) => e),
      grpcClient.listProducts(500).catch((e: unknown) => e),
    ]);

    // Assert
    expect(restErrors.map((e) => (e as RestError).status)).toEqual([400, 400]);
    expect(grpcErrors.map(grpcCode)).toEqual([
      grpc.status.INVALID_ARGUMENT,
      grpc.status.INVALID_ARGUMENT,
    ]);
  });

  it("when an HTTP/1.1 client calls the gRPC server, then it gets no HTTP answer: gRPC requires HTTP/2", async () => {
    // Arrange
    const [host, port] = grpcServer.address.split(":");
    const body = Buffer.from([0, 0, 0, 0, 10, 10, 8, ...Buffer.from("SKU-0042")]);

    // Act
    const outcome = await new Promise<string>((resolve) => {
      const request = http.request(
        {
          host,
          port: Number(port),
          method: "POST",
          path: "/catalog.v1.Catalog/GetProduct",
          headers: { "content-type": "application/grpc", te: "trailers" },
        },
        (response) => resolve(`answered ${response.statusCode}`),
      );
      request.on("error", (error: NodeJS.ErrnoException) => resolve(`failed: ${error.code}`));
      request.end(body);
    });

    // Assert
    expect(outcome).toMatch(/^failed: /);
  });

  it("when the REST API is served over HTTP/2 (h2c), then a client gets the same JSON and statuses, many requests on one connection", async () => {
    // Arrange
    const h2 = await startRestH2(catalog);
    const client = new H2RestClient(h2.url);
    const skus = Array.from({ length: 20 }, (_, i) => `SKU-${String(i + 1).padStart(4, "0")}`);

    // Act
    const answers = await Promise.all(skus.map((sku) => client.get(`/products/${sku}`)));
    const missing = await client.get("/products/SKU-9999");
    const malformed = await client.get("/products/oops");
    const overHttp1 = await restClient.getProduct("SKU-0007");
    await client.close();
    await h2.close();

    // Assert
    expect(answers.every((a) => a.status === 200)).toBe(true);
    expect(answers[6]!.body).toEqual(overHttp1);
    expect([missing.status, malformed.status]).toEqual([404, 400]);
    expect(client.session.alpnProtocol).toBe("h2c");
    expect(h2.connections()).toBe(1);
  });
});
