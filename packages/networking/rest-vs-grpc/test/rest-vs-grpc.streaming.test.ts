import { once } from "node:events";
import * as grpc from "@grpc/grpc-js";
import { afterEach, beforeEach, describe, expect, it } from "@jest/globals";
import { Catalog } from "../src/catalog.js";
import { GrpcCatalogClient, grpcCode } from "../src/clients.js";
import type { PriceChange__Output } from "../src/generated/catalog/v1/PriceChange.js";
import type { Quote__Output } from "../src/generated/catalog/v1/Quote.js";
import { type GrpcCatalogServer, startGrpc } from "../src/rest-vs-grpc.js";

describe("gRPC streaming", () => {
  let catalog: Catalog;
  let server: GrpcCatalogServer;
  let client: GrpcCatalogClient;

  beforeEach(async () => {
    catalog = new Catalog();
    server = await startGrpc(catalog);
    client = new GrpcCatalogClient(server.address);
  });

  afterEach(async () => {
    client.close();
    await server.close();
  });

  it("when prices change, then a server stream delivers each change as it happens, before the stream ends", async () => {
    // Arrange
    const stream = client.client.WatchPrices({ skus: ["SKU-0001", "SKU-0002"] });
    let ended = false;
    stream.on("end", () => {
      ended = true;
    });
    const failed = once(stream, "error").catch(() => []);
    await catalog.untilWatchers(1);

    // Act
    const first = once(stream, "data");
    catalog.setPrice("SKU-0001", 1_000);
    const [firstChange] = (await first) as [PriceChange__Output];
    const endedAfterFirst = ended;
    const second = once(stream, "data");
    catalog.setPrice("SKU-0003", 3_000);
    catalog.setPrice("SKU-0002", 2_000);
    const [secondChange] = (await second) as [PriceChange__Output];
    stream.cancel();
    const [error] = (await failed) as [unknown];
    await catalog.untilWatchers(0);

    // Assert
    expect(firstChange).toMatchObject({ sku: "SKU-0001", priceCents: 1_000 });
    expect(endedAfterFirst).toBe(false);
    expect(secondChange).toMatchObject({ sku: "SKU-0002", priceCents: 2_000 });
    expect(grpcCode(error)).toBe(grpc.status.CANCELLED);
  });

  it("when the client streams quote requests, then each answer arrives while the call is still open, before the next request is sent", async () => {
    // Arrange
    const call = client.client.QuoteStream();
    const requests = [
      { sku: "SKU-0001", quantity: 2 },
      { sku: "SKU-0002", quantity: 5 },
      { sku: "SKU-0003", quantity: 1 },
    ];
    const answers: { quote: Quote__Output; clientStillWriting: boolean }[] = [];

    // Act
    for (const request of requests) {
      const answered = once(call, "data");
      call.write(request);
      const [quote] = (await answered) as [Quote__Output];
      answers.push({ quote, clientStillWriting: call.writable });
    }
    call.end();
    await once(call, "end");

    // Assert
    expect(answers.map((a) => a.quote)).toEqual(
      requests.map(({ sku, quantity }) => ({
        sku,
        quantity,
        totalCents: catalog.get(sku).priceCents * quantity,
      })),
    );
    expect(answers.every((a) => a.clientStillWriting)).toBe(true);
  });
});
