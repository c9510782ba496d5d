import { createHash } from "node:crypto";
import type { HashProvider, MemcacheNode } from "memcache";

// Consistent hashing the way memcached clients have done it since
// libketama (last.fm, 2007): every server gets 160 points on a circle of
// 2^32, taken from 40 MD5 digests of `host:port-i`, four 32-bit numbers
// from each. A key belongs to the first point at or after the MD5 of the
// key. Lose a server and only the arcs that ended at its points change
// hands; every other key stays where it was.
//
// The `memcache` client has a ring of its own, but it hashes with FNV-1a
// over 50 points per node, and on names that differ only in the port it
// spreads keys very unevenly (`pnpm bench distributed-cache` measures it).
// So we plug this one in through the client's `HashProvider` interface.

const DIGESTS_PER_NODE = 40;

function md5(text: string): Buffer {
  return createHash("md5").update(text).digest();
}

/** A ketama-style ring of memcached nodes, for the `memcache` client. */
export class KetamaRing implements HashProvider {
  readonly name = "ketama";
  readonly #nodes = new Map<string, MemcacheNode>();
  /** Every point on the circle, sorted, and the node each belongs to. */
  #points: { at: number; node: string }[] = [];

  get nodes(): MemcacheNode[] {
    return [...this.#nodes.values()];
  }

  addNode(node: MemcacheNode): void {
    this.#nodes.set(node.id, node);
    this.#placePoints();
  }

  removeNode(id: string): void {
    this.#nodes.delete(id);
    this.#placePoints();
  }

  getNode(id: string): MemcacheNode | undefined {
    return this.#nodes.get(id);
  }

  // A linear scan of 160 points per node is nothing next to the network
  // round trip that follows it; a ring of thousands would want a binary
  // search. Past the last point we wrap round to the first.
  getNodesByKey(key: string): MemcacheNode[] {
    if (this.#points.length === 0) return [];
    const at = md5(key).readUInt32LE(0);
    const point = this.#points.find((p) => p.at >= at) ?? this.#points[0]!;
    return [this.#nodes.get(point.node)!];
  }

  #placePoints(): void {
    this.#points = [...this.#nodes.keys()]
      .flatMap((node) =>
        Array.from({ length: DIGESTS_PER_NODE }, (_, i) => md5(`${node}-${i}`)).flatMap((digest) =>
          [0, 4, 8, 12].map((offset) => ({ at: digest.readUInt32LE(offset), node })),
        ),
      )
      .sort((a, b) => a.at - b.at);
  }
}
