import { describe, expect, it } from "@jest/globals";
import { HashRing, ModuloPlacement, moves, spread } from "../src/placement.js";
import { keyOf } from "../src/sharding.js";
import { trafficWithHotKey } from "../src/workload.js";

const KEYS = Array.from({ length: 100_000 }, (_, i) => keyOf(i + 1));
const THREE = ["shard-0", "shard-1", "shard-2"];
const FOUR = [...THREE, "shard-3"];

/** The largest distance of any shard's share from an even share, as a fraction of it. */
function unevenness(counts: Map<string, number>): number {
  const even = KEYS.length / counts.size;
  return Math.max(...[...counts.values()].map((n) => Math.abs(n - even) / even));
}

describe("sharding: adding a fourth shard to three", () => {
  it("when modulo hashing goes from 3 to 4 shards, then about three quarters of 100,000 keys move", () => {
    // Act
    const { share } = moves(new ModuloPlacement(THREE), new ModuloPlacement(FOUR), KEYS);

    // Assert
    expect(share).toBeGreaterThan(0.7);
    expect(share).toBeLessThan(0.8);
  });

  it("when modulo hashing adds a shard, then most moved keys go between the old shards, not to the new one", () => {
    // Act
    const { moved, to } = moves(new ModuloPlacement(THREE), new ModuloPlacement(FOUR), KEYS);

    // Assert
    expect((to.get("shard-3") ?? 0) / moved).toBeLessThan(0.4);
  });

  it("when a consistent-hash ring with virtual nodes goes from 3 to 4 shards, then about a quarter of 100,000 keys move, all to the new shard", () => {
    // Act
    const { share, moved, to } = moves(new HashRing(THREE), new HashRing(FOUR), KEYS);

    // Assert
    expect(share).toBeGreaterThan(0.2);
    expect(share).toBeLessThan(0.3);
    expect([...to.keys()]).toEqual(["shard-3"]);
    expect(to.get("shard-3")).toBe(moved);
  });

  it("when the ring has 1,000 virtual nodes per shard, then every shard's share is within ±10% of even, before and after", () => {
    // Act
    const before = unevenness(spread(new HashRing(THREE), KEYS));
    const after = unevenness(spread(new HashRing(FOUR), KEYS));

    // Assert
    expect(before).toBeLessThan(0.1);
    expect(after).toBeLessThan(0.1);
  });

  it("when the ring has one point per shard, then the shares are far from even", () => {
    // Act
    const unevenWithOne = unevenness(spread(new HashRing(THREE, 1), KEYS));
    const unevenWithMany = unevenness(spread(new HashRing(THREE), KEYS));

    // Assert
    expect(unevenWithOne).toBeGreaterThan(0.2);
    expect(unevenWithOne).toBeGreaterThan(5 * unevenWithMany);
  });
});

describe("sharding: the hot key", () => {
  it("when a key draws 30% of the reads, then its shard serves at least 30% of them however many shards there are", () => {
    // Arrange
    const ids = trafficWithHotKey({ users: 100_000, requests: 20_000, hotId: 42, hotShare: 0.3 });

    // Act
    const busiest = [3, 4, 8, 16].map((n) => {
      const ring = new HashRing(Array.from({ length: n }, (_, i) => `shard-${i}`));
      const reads = spread(ring, ids.map(keyOf));
      return Math.max(...reads.values()) / ids.length;
    });

    // Assert: an even share would be 1/16 = 6% at 16 shards.
    for (const share of busiest) expect(share).toBeGreaterThan(0.3);
    expect(busiest.at(-1)!).toBeGreaterThan(4 * (1 / 16));
  });
});
