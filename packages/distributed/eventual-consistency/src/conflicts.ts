// When two nodes both accept writes while they cannot talk, there is no
// "latest" value any more: there are two histories. Replication can move
// them around, but something has to decide what the key holds once they
// meet. That decision is a `merge`, and it must give the same answer on
// both nodes, whichever history arrives first: commutative, associative and
// idempotent, so that the nodes converge however the network delivers.

/** How a kind of value is written locally and merged with a peer's copy. */
export interface Resolver<State, Op> {
  name: string;
  empty(): State;
  /** A local write at `node`, at wall-clock time `now`. */
  apply(state: State, op: Op, node: string, now: number): State;
  /** Combines our copy with a peer's; must converge whatever the order. */
  merge(ours: State, theirs: State): State;
}

// The workload is a shopping cart, the example of Amazon's Dynamo paper:
// clients add items, and an add the client saw acknowledged must not vanish.

/** An item added to a cart. */
export interface AddItem {
  add: string;
}

// 1. Last write wins. Each copy carries the wall-clock time of its last write
// and the writer's node name; merge keeps the later one. It converges, and
// it is what Cassandra does per column and what a plain overwrite does. But
// the loser's writes are gone, acknowledged or not, and "later" is decided by
// clocks that are never quite in step.

/** A cart stored as one value, with the time and node of its last write. */
export interface LwwCart {
  items: string[];
  at: number;
  node: string;
}

export const lastWriteWins: Resolver<LwwCart, AddItem> = {
  name: "last write wins",
  empty: () => ({ items: [], at: 0, node: "" }),
  apply: (state, op, node, now) => ({ items: [...state.items, op.add], at: now, node }),
  merge: (ours, theirs) => (later(theirs, ours) ? theirs : ours),
};

const later = (a: LwwCart, b: LwwCart) => a.at > b.at || (a.at === b.at && a.node > b.node);

// 2. Version vectors and siblings. Each value carries a vector: how many
// writes from each node it has seen. If one vector covers the other, that
// value descends from the other and replaces it. If neither does, the writes
// were concurrent, and we keep both as siblings, as Riak does, and let the
// application merge them on its next write: for a cart, the union of items.

/** Writes seen per node: `{ a: 3, b: 1 }`. */
export type VersionVector = Record<string, number>;

/** The concurrent values of a key; usually one, several after a partition. */
export interface Siblings {
  siblings: { items: string[]; vector: VersionVector }[];
}

/** True when `a` has seen everything `b` has. */
export function covers(a: VersionVector, b: VersionVector): boolean {
  return Object.entries(b).every(([node, count]) => (a[node] ?? 0) >= count);
}

export const versionVectors: Resolver<Siblings, AddItem> = {
  name: "version vectors (siblings)",
  empty: () => ({ siblings: [] }),
  // A local write has read every sibling on this node, so it resolves them
  // (the union of their items, plus the new one) and supersedes them all.
  apply: (state, op, node) => {
    const vector: VersionVector = {};
    for (const { vector: seen } of state.siblings) {
      for (const [n, count] of Object.entries(seen)) vector[n] = Math.max(vector[n] ?? 0, count);
    }
    vector[node] = (vector[node] ?? 0) + 1;
    const items = new Set(state.siblings.flatMap((sibling) => sibling.items));
    return { siblings: [{ items: [...items, op.add], vector }] };
  },
  // Merging keeps every value that no other value descends from.
  merge: (ours, theirs) => {
    const all = [...ours.siblings, ...theirs.siblings];
    const kept = all.filter(
      (s, i) =>
        !all.some((t, j) => covers(t.vector, s.vector) && (!covers(s.vector, t.vector) || j < i)),
    );
    return { siblings: kept };
  },
};

/** The items a reader sees: the union of the siblings, the application's own merge. */
export const cartItems = (state: Siblings): string[] => [
  ...new Set(state.siblings.flatMap((sibling) => sibling.items)),
];

// 3. A CRDT: a data type whose merge cannot lose anything. A G-Counter
// (grow-only counter) gives each node its own slot; a node only increments
// its own, and merge takes the highest count seen per slot. The value is the
// sum. Increments on both sides of a partition all survive, with no clock,
// no siblings and no application code.

/** Increments per node: `{ a: 41, b: 17 }` counts 58. */
export type GCounter = Record<string, number>;

export const gCounter: Resolver<GCounter, { increment: number }> = {
  name: "G-Counter (CRDT)",
  empty: () => ({}),
  apply: (state, op, node) => ({ ...state, [node]: (state[node] ?? 0) + op.increment }),
  merge: (ours, theirs) => {
    const merged: GCounter = { ...ours };
    for (const [node, count] of Object.entries(theirs)) {
      merged[node] = Math.max(merged[node] ?? 0, count);
    }
    return merged;
  },
};

/** The counter's value: the sum of every node's slot. */
export const total = (counter: GCounter): number =>
  Object.values(counter).reduce((sum, count) => sum + count, 0);
