import { gzipSync } from "node:zlib";
import type { ServiceDefinition } from "@grpc/proto-loader";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { ChaosProxy } from "@playground/kit";
import { Catalog } from "../src/catalog.js";
import { GrpcCatalogClient, RestCatalogClient } from "../src/clients.js";
import { packageDefinition } from "../src/grpc-loader.js";
import { jsonBytes, protobufBytes } from "../src/payload.js";
import { type GrpcCatalogServer, startGrpc, startRest } from "../src/rest-vs-grpc.js";

describe("payload bytes", () => {
  const catalog = new Catalog();

  it("when the same product is encoded, then protobuf takes fewer bytes than JSON and decodes to the same data", () => {
    // Arrange
    const product = catalog.get("SKU-0042");
    const service = packageDefinition["catalog.v1.Catalog"] as ServiceDefinition;

    // Act
    const json = jsonBytes(product);
    const protobuf = protobufBytes("GetProduct", product);
    const decoded = service.GetProduct!.responseDeserialize(protobuf);

    // Assert
    expect(protobufBytes("GetProduct", product)).toEqual(protobuf);
    expect(json.length / protobuf.length).toBeGreaterThan(1.5);
    expect(decoded).toEqual(JSON.parse(json.toString()));
  });

  it("when a page of 100 products is encoded, then protobuf is smaller than JSON by the same ratio", () => {
    // Arrange
    const page = { products: catalog.list(100) };

    // Act
    const json = jsonBytes(page);
    const protobuf = protobufBytes("ListProducts", page);

    // Assert
    expect(json.length / protobuf.length).toBeGreaterThan(1.5);
    expect(json.length / protobuf.length).toBeLessThan(2);
  });

  it("when the page is gzipped, as HTTP responses usually are, then the JSON is smaller than the uncompressed protobuf", () => {
    // Arrange
    const page = { products: catalog.list(100) };

    // Act
    const gzippedJson = gzipSync(jsonBytes(page));
    const protobuf = protobufBytes("ListProducts", page);

    // Assert
    expect(gzippedJson.length).toBeLessThan(protobuf.length / 2);
  });
});

describe("bytes on the wire", () => {
  let rest: Awaited<ReturnType<typeof startRest>>;
  let grpcServer: GrpcCatalogServer;
  const proxies: ChaosProxy[] = [];

  beforeEach(async () => {
    const catalog = new Catalog();
    rest = await startRest(catalog);
    grpcServer = await startGrpc(catalog);
  });

  afterEach(async () => {
    for (const proxy of proxies.splice(0)) await proxy.close();
    await grpcServer.close();
    await rest.close();
  });

  async function proxyTo(port: number): Promise<ChaosProxy> {
    const proxy = await ChaosProxy.start({ host: "127.0.0.1", port });
    proxies.push(proxy);
    return proxy;
  }

  it("when 100 product look-ups cross the wire one after another, then gRPC over HTTP/2 sends fewer bytes than REST over HTTP/1.1", async () => {
    // Arrange
    const restProxy = await proxyTo(Number(new URL(rest.url).port));
    const grpcProxy = await proxyTo(Number(grpcServer.address.split(":")[1]));
    const restClient = new RestCatalogClient(`http://127.0.0.1:${restProxy.port}`);
    const grpcClient = new GrpcCatalogClient(`127.0.0.1:${grpcProxy.port}`);

    // Act
    for (let i = 1; i <= 100; i++) await restClient.getProduct("SKU-0042");
    for (let i = 1; i <= 100; i++) await grpcClient.getProduct("SKU-0042");
    const restBytes = restProxy.stats.bytesUp + restProxy.stats.bytesDown;
    const grpcBytes = grpcProxy.stats.bytesUp + grpcProxy.stats.bytesDown;
    grpcClient.close();

    // Assert
    expect(restBytes / grpcBytes).toBeGreaterThan(1.5);
  });
});
