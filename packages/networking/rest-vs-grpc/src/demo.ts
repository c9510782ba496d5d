import { once } from "node:events";
import http from "node:http";
import { gzipSync } from "node:zlib";
import * as grpc from "@grpc/grpc-js";
import { defineDemo } from "@playground/kit";
import { Catalog } from "./catalog.js";
import { GrpcCatalogClient, grpcCode, RestCatalogClient, RestError } from "./clients.js";
import { type ContenderName, startContenders } from "./contenders.js";
import type { PriceChange__Output } from "./generated/catalog/v1/PriceChange.js";
import type { Quote__Output } from "./generated/catalog/v1/Quote.js";
import { InventoryServer } from "./inventory.js";
import { type LoadResult, runLoad } from "./load.js";
import { jsonBytes, protobufBytes } from "./payload.js";
import { H2RestClient, startRestH2 } from "./rest-over-h2.js";
import { startGrpc, startRest } from "./rest-vs-grpc.js";

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const APIS: ContenderName[] = ["REST/1.1 express+fetch", "REST/2 h2c", "gRPC"];

export default defineDemo({
  title: "REST vs gRPC",
  services: [],
  async run(ctx) {
    // One catalogue of 100 products, three doors into it: express over
    // HTTP/1.1 (REST as usually deployed), the same REST routes over HTTP/2
    // (h2c), and gRPC from proto/catalog.proto. All on 127.0.0.1.
    const catalog = new Catalog();
    const rest = await startRest(catalog);
    ctx.defer(() => rest.close());
    const h2 = await startRestH2(catalog);
    ctx.defer(() => h2.close());
    const grpcServer = await startGrpc(catalog);
    ctx.defer(() => grpcServer.close());
    const restClient = new RestCatalogClient(rest.url);
    const h2Client = new H2RestClient(h2.url);
    ctx.defer(() => h2Client.close());
    const grpcClient = new GrpcCatalogClient(grpcServer.address);
    ctx.defer(() => grpcClient.close());
    ctx.say(
      "One catalogue of 100 products, served as REST over HTTP/1.1, REST over HTTP/2, and gRPC.",
    );

    // The same product, both ways: same data, different bytes.
    const sku = "SKU-0042";
    const overRest = await restClient.getProduct(sku);
    const overH2 = await h2Client.get(`/products/${sku}`);
    const overGrpc = await grpcClient.getProduct(sku);
    const sameData =
      JSON.stringify(overRest) === JSON.stringify(overH2.body) &&
      JSON.stringify(Object.entries(overGrpc).sort()) ===
        JSON.stringify(Object.entries(overRest).sort());
    const productJson = jsonBytes(overRest).length;
    const productProtobuf = protobufBytes("GetProduct", overRest).length;
    ctx.event("rest", `GET /products/${sku} → 200`, `${productJson} bytes of JSON`);
    ctx.event(
      "h2",
      `GET /products/${sku} → 200 over HTTP/2`,
      `the same ${productJson} bytes of JSON`,
    );
    ctx.event("grpc", "catalog.v1.Catalog/GetProduct → OK", `${productProtobuf} bytes of protobuf`);
    const page = { products: catalog.list(100) };
    const pageJson = jsonBytes(page).length;
    const pageProtobuf = protobufBytes("ListProducts", page).length;
    const pageGzip = gzipSync(jsonBytes(page)).length;
    ctx.metric(
      "product: JSON bytes / protobuf bytes",
      round(productJson / productProtobuf, 2),
      "x",
    );
    ctx.metric("100 products: JSON bytes / protobuf bytes", round(pageJson / pageProtobuf, 2), "x");
    ctx.metric(
      "100 products: protobuf bytes / gzipped JSON bytes",
      round(pageProtobuf / pageGzip, 2),
      "x",
    );

    // On the wire, headers count too: HTTP/1.1 repeats them as text on
    // every request; HTTP/2 compresses them (HPACK) after the first.
    ctx.say(
      "100 look-ups one after another, then 16 at a time, each API through a byte-counting proxy.",
    );
    const contenders = await startContenders(catalog, APIS, { connections: 16 });
    for (const contender of contenders) ctx.defer(() => contender.close());
    const wire = new Map<string, number>();
    for (const contender of contenders) {
      for (let i = 0; i < 100; i++) await contender.getProduct(sku);
      wire.set(contender.name, contender.bytes() / 100);
      ctx.event(
        contender.name,
        "100 sequential look-ups",
        `${round(wire.get(contender.name)!, 0)} bytes per call on the wire`,
      );
    }
    ctx.metric(
      "bytes per call: REST/1.1 / gRPC",
      round(wire.get("REST/1.1 express+fetch")! / wire.get("gRPC")!, 2),
      "x",
    );

    // Equal concurrency: 16 calls in flight, each API in turn.
    const requests = ctx.fast ? 150 : 2_000;
    const loads = new Map<string, LoadResult>();
    for (const contender of contenders) {
      await runLoad(() => contender.getProduct(sku), { requests: requests / 10, concurrency: 16 });
      const result = await runLoad(() => contender.getProduct(sku), { requests, concurrency: 16 });
      loads.set(contender.name, result);
      ctx.event(
        contender.name,
        `${requests} look-ups, 16 in flight`,
        `p50 ${round(result.p50, 2)} ms · p99 ${round(result.p99, 2)} ms · ${Math.round(result.perSecond)}/s`,
      );
      ctx.signal.throwIfAborted();
    }

    // Server streaming: one call, and a message for each price change as
    // it happens. The stream is still open after each one arrives.
    ctx.say("gRPC server streaming: WatchPrices stays open and pushes each change.");
    const watch = grpcClient.client.WatchPrices({ skus: ["SKU-0001", "SKU-0002"] });
    ctx.defer(() => watch.cancel());
    watch.on("error", () => {});
    let watchEnded = false;
    watch.on("end", () => {
      watchEnded = true;
    });
    await catalog.untilWatchers(1);
    const arrivals: boolean[] = [];
    for (const [changed, cents] of [
      ["SKU-0001", 1_999],
      ["SKU-0002", 2_999],
      ["SKU-0001", 1_499],
    ] as const) {
      await ctx.sleep(300);
      const arrived = once(watch, "data");
      catalog.setPrice(changed, cents);
      const [change] = (await arrived) as [PriceChange__Output];
      arrivals.push(!watchEnded);
      ctx.event(
        "grpc",
        `price ${change.sku} → ${change.priceCents}`,
        "pushed; the stream stays open",
      );
    }
    watch.cancel();

    // Bidirectional streaming: each quote answered before the next is sent.
    ctx.say("gRPC bidirectional streaming: QuoteStream answers each request as it arrives.");
    const quotes = grpcClient.client.QuoteStream();
    const interleaved: boolean[] = [];
    for (const [quoted, quantity] of [
      ["SKU-0003", 2],
      ["SKU-0004", 10],
    ] as const) {
      const answered = once(quotes, "data");
      quotes.write({ sku: quoted, quantity });
      const [quote] = (await answered) as [Quote__Output];
      interleaved.push(quotes.writable);
      ctx.event(
        "grpc",
        `quote ${quote.quantity} × ${quote.sku} = ${quote.totalCents}`,
        "while the client can still write",
      );
    }
    quotes.end();
    await once(quotes, "end");

    // Deadlines: the client allows 200 ms; the catalogue asks inventory,
    // which is slow. The deadline travels with the call to both hops.
    ctx.say("A 200 ms deadline on a call whose inventory look-up takes 2 s.");
    const inventory = await InventoryServer.start({ delayMs: 0 });
    ctx.defer(() => inventory.close());
    const chained = await startGrpc(catalog, { inventory: inventory.address });
    ctx.defer(() => chained.close());
    const chainedClient = new GrpcCatalogClient(chained.address);
    ctx.defer(() => chainedClient.close());
    await chainedClient.getProduct(sku, { deadlineMs: 60_000 }); // opens both connections
    inventory.delayMs = 2_000;
    const deadlineStart = Date.now();
    const deadlineError = await chainedClient
      .getProduct(sku, { deadlineMs: 200 })
      .catch((e: unknown) => e);
    const waited = Date.now() - deadlineStart;
    const stockCall = inventory.calls.at(1);
    if (stockCall) await inventory.untilCancelled();
    ctx.event("client", `${grpc.status[grpcCode(deadlineError) ?? 0]} after ${waited} ms`);
    ctx.event(
      "inventory",
      "saw the caller's deadline, then the cancellation",
      stockCall
        ? `its deadline was ${stockCall.deadline - deadlineStart} ms after the client's call began`
        : "the call never reached it",
    );

    // Errors: the same two failures, in each protocol's vocabulary.
    const statusOf = (e: unknown) => (e instanceof RestError ? e.status : 0);
    const restMissing = await restClient.getProduct("SKU-9999").catch(statusOf);
    const restInvalid = await restClient.getProduct("sku 42").catch(statusOf);
    const grpcMissing = await grpcClient.getProduct("SKU-9999").catch(grpcCode);
    const grpcInvalid = await grpcClient.getProduct("sku 42").catch(grpcCode);
    ctx.event("rest", `missing → ${restMissing}, malformed → ${restInvalid}`);
    ctx.event(
      "grpc",
      `missing → ${grpc.status[grpcMissing as grpc.status]}, malformed → ${grpc.status[grpcInvalid as grpc.status]}`,
    );

    // gRPC needs HTTP/2. An HTTP/1.1 request to it gets no HTTP answer.
    const [host, port] = grpcServer.address.split(":");
    const http1ToGrpc = await new Promise<string>((resolve) => {
      http
        .request(
          { host, port: Number(port), method: "POST", path: "/catalog.v1.Catalog/GetProduct" },
          (res) => resolve(`answered ${res.statusCode}`),
        )
        .on("error", (error: NodeJS.ErrnoException) => resolve(`failed: ${error.code}`))
        .end();
    });
    ctx.event(
      "http/1.1 client",
      `POST to the gRPC server → ${http1ToGrpc}`,
      "gRPC requires HTTP/2",
    );

    ctx.table(
      contenders.map((c) => {
        const load = loads.get(c.name)!;
        return {
          api: c.name,
          "bytes per call": Math.round(wire.get(c.name)!),
          "p50 ms": round(load.p50, 2),
          "p99 ms": round(load.p99, 2),
          "calls/s": Math.round(load.perSecond),
        };
      }),
    );

    ctx.claim(
      "REST, REST over HTTP/2 and gRPC returned the same product from one catalogue",
      sameData,
    );
    ctx.claim(
      "protobuf encoded the same data in fewer bytes than JSON, but a gzipped page of JSON was smaller still",
      productProtobuf < productJson && pageProtobuf < pageJson && pageGzip < pageProtobuf,
    );
    ctx.claim(
      "gRPC sent fewer bytes per call on the wire than REST over HTTP/1.1",
      wire.get("gRPC")! < wire.get("REST/1.1 express+fetch")!,
    );
    ctx.claim(
      "the server stream pushed each price change while the stream stayed open",
      arrivals.length === 3 && arrivals.every(Boolean),
    );
    ctx.claim(
      "the bidirectional stream answered each request before the next was sent",
      interleaved.length === 2 && interleaved.every(Boolean),
    );
    ctx.claim(
      "the client's deadline reached inventory a hop further, which saw the cancellation; the client got DEADLINE_EXCEEDED",
      grpcCode(deadlineError) === grpc.status.DEADLINE_EXCEEDED &&
        stockCall?.cancelled === true &&
        waited < 1_000,
    );
    ctx.claim(
      "errors came back as 404/400 in REST and NOT_FOUND/INVALID_ARGUMENT in gRPC",
      restMissing === 404 &&
        restInvalid === 400 &&
        grpcMissing === grpc.status.NOT_FOUND &&
        grpcInvalid === grpc.status.INVALID_ARGUMENT,
    );
    ctx.claim(
      "REST ran unchanged over HTTP/2, and gRPC refused HTTP/1.1",
      overH2.status === 200 &&
        h2Client.session.alpnProtocol === "h2c" &&
        http1ToGrpc.startsWith("failed"),
    );
  },
});
