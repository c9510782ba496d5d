import * as grpc from "@grpc/grpc-js";
import { afterEach, describe, expect, it } from "@jest/globals";
import { Catalog } from "../src/catalog.js";
import { GrpcCatalogClient, grpcCode } from "../src/clients.js";
import { InventoryServer } from "../src/inventory.js";
import { type GrpcCatalogServer, startGrpc } from "../src/rest-vs-grpc.js";

describe("deadlines", () => {
  let inventory: InventoryServer;
  let server: GrpcCatalogServer;
  let client: GrpcCatalogClient;

  afterEach(async () => {
    client.close();
    await server.close();
    await inventory.close();
  });

  it("when the client's deadline passes while the catalogue waits on inventory, then the client gets DEADLINE_EXCEEDED and inventory, a hop further, sees the same deadline and the cancellation", async () => {
    // Arrange: a first call opens both connections while inventory is quick.
    inventory = await InventoryServer.start({ delayMs: 0 });
    server = await startGrpc(new Catalog(), { inventory: inventory.address });
    client = new GrpcCatalogClient(server.address);
    await client.getProduct("SKU-0001", { deadlineMs: 60_000 });
    const inventoryDelayMs = 20_000;
    inventory.delayMs = inventoryDelayMs;
    const deadlineMs = 1_000;

    // Act
    const started = Date.now();
    const error = await client.getProduct("SKU-0001", { deadlineMs }).catch((e: unknown) => e);
    const waited = Date.now() - started;
    const stockCall = inventory.calls.at(1);
    if (stockCall) await inventory.untilCancelled();

    // Assert
    expect(grpcCode(error)).toBe(grpc.status.DEADLINE_EXCEEDED);
    expect(waited).toBeLessThan(inventoryDelayMs / 4);
    expect(stockCall).toBeDefined();
    expect(Number.isFinite(stockCall!.deadline)).toBe(true);
    expect(Math.abs(stockCall!.deadline - (started + deadlineMs))).toBeLessThan(1_000);
    expect(stockCall!.cancelled).toBe(true);
  });

  it("when the deadline leaves enough time, then the call goes through both hops and succeeds", async () => {
    // Arrange
    inventory = await InventoryServer.start({ delayMs: 20 });
    server = await startGrpc(new Catalog(), { inventory: inventory.address });
    client = new GrpcCatalogClient(server.address);

    // Act
    const product = await client.getProduct("SKU-0001", { deadlineMs: 10_000 });

    // Assert
    expect(product.stock).toBe(7);
    expect(inventory.calls.map((c) => c.cancelled)).toEqual([false]);
  });
});
