import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import { type ReplicatedHandle, services } from "@playground/kit";
import { commitLatencies, median } from "../src/pacelc.js";

describe("PACELC: else, latency or consistency", () => {
  let pair: ReplicatedHandle;

  beforeAll(async () => {
    pair = await services.postgresReplicated({ sync: true });
  });

  afterAll(async () => {
    await pair?.[Symbol.asyncDispose]();
  });

  it("when there is no partition, then a commit that waits for the standby pays a replication round trip that a local commit does not", async () => {
    // Arrange: the standby is 20 ms away each way, as in another region.
    pair.link!.latency(20);

    // Act
    const latencies = await commitLatencies(pair.primary.url, 20);
    const [local, synchronous] = [median(latencies.local), median(latencies.remote_apply)];
    pair.link!.latency(0);

    // Assert
    expect(synchronous).toBeGreaterThan(local * 3);
  });
});
