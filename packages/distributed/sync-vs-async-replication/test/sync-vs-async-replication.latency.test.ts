import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { commitLatencies } from "../src/sync-vs-async-replication.js";
import { median, type Pair, startPair } from "./fixtures.js";

const LINK_DELAY_MS = 20;
const COMMITS = 30;

describe("commit latency", () => {
  let sync: Pair;
  let async: Pair;

  beforeAll(async () => {
    const started = await Promise.allSettled([startPair(true), startPair(false)]);
    [sync, async] = started.map((p) => (p.status === "fulfilled" ? p.value : undefined)) as [
      Pair,
      Pair,
    ];
    const failed = started.find((p) => p.status === "rejected");
    if (failed) throw failed.reason;
  });

  afterAll(async () => {
    await Promise.all([sync?.[Symbol.asyncDispose](), async?.[Symbol.asyncDispose]()]);
  });

  it("when the replication link has latency, then a synchronous commit takes several times longer than an asynchronous one", async () => {
    // Arrange
    const [syncTable, asyncTable] = await Promise.all([
      sync.table("latency"),
      async.table("latency"),
    ]);
    sync.handle.link!.latency(LINK_DELAY_MS);
    async.handle.link!.latency(LINK_DELAY_MS);

    // Act: one after the other, so they do not compete for the CPU.
    let syncMs: number[];
    let asyncMs: number[];
    try {
      syncMs = await commitLatencies(sync.primary, syncTable, COMMITS);
      asyncMs = await commitLatencies(async.primary, asyncTable, COMMITS);
    } finally {
      sync.handle.link!.restore();
      async.handle.link!.restore();
    }

    // Assert: a sync commit waits for a round trip over the link; async does not.
    expect(median(syncMs)).toBeGreaterThanOrEqual(2 * LINK_DELAY_MS);
    expect(median(syncMs) / median(asyncMs)).toBeGreaterThan(2);
  });
});
