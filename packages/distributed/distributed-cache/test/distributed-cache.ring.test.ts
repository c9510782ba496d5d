import { describe, expect, it } from "@jest/globals";
import { type HashProvider, Memcache } from "memcache";
import { KetamaRing } from "../src/ketama-ring.js";

// Placement alone, no servers: three nodes on 127.0.0.1 whose names differ
// only in the port, as the kit's servers do, for 50 fixed sets of ports.
const PORT_SETS = Array.from({ length: 50 }, (_, i) =>
  [0, 1, 2].map((n) => 15_000 + ((i * 7919 + n * 104_729) % 17_000)),
);
const KEYS = Array.from({ length: 3000 }, (_, i) => `product:p${i}`);

/** Every node's share of the keys, for every set of ports. */
function shares(hash: () => HashProvider | undefined): number[] {
  return PORT_SETS.flatMap((ports) => {
    const client = new Memcache({ nodes: ports.map((p) => `127.0.0.1:${p}`), hash: hash() });
    const owners = KEYS.map((key) => client.hash.getNodesByKey(key)[0]!.id);
    return ports.map((p) => owners.filter((id) => id === `127.0.0.1:${p}`).length / KEYS.length);
  });
}

describe("placing keys on three memcached nodes", () => {
  it("when node names differ only in their ports, then our ketama ring gives every node between a fifth and a half of the keys", () => {
    // Arrange, Act
    const ketama = shares(() => new KetamaRing());

    // Assert
    expect(Math.min(...ketama)).toBeGreaterThan(0.2);
    expect(Math.max(...ketama)).toBeLessThan(0.5);
  });

  it("when node names differ only in their ports, then the memcache client's own ring gives some node more than 60% of the keys", () => {
    // Arrange, Act: no `hash` option means the client's default ring.
    const own = shares(() => undefined);

    // Assert
    expect(Math.max(...own)).toBeGreaterThan(0.6);
    expect(Math.min(...own)).toBeLessThan(0.1);
  });
});
