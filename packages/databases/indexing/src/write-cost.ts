import type pg from "pg";

// An index is not free. Each one is a second structure that every INSERT
// must also update (and every UPDATE of an indexed column, and every
// DELETE eventually), in its own pages, which also take disk and cache.
// We insert the same rows into the same table with 0, 1 and 5 indexes.

/** The index sets we compare, by count: none, the primary key, and four more. */
export const INDEX_SETS: Record<0 | 1 | 5, string[]> = {
  0: [],
  1: ["ALTER TABLE writes ADD PRIMARY KEY (id)"],
  5: [
    "ALTER TABLE writes ADD PRIMARY KEY (id)",
    "CREATE INDEX ON writes (email)",
    "CREATE INDEX ON writes (lower(email))",
    "CREATE INDEX ON writes (country, signup_date)",
    "CREATE INDEX ON writes (status)",
  ],
};

export interface WriteCost {
  indexes: number;
  /** Median time to insert the rows, in ms. */
  insertMs: number;
  rowsPerSecond: number;
  tableBytes: number;
  indexBytes: number;
}

const INSERT = `
  INSERT INTO writes
  SELECT g, 'User' || g || '@Example.com', 'User ' || g,
         (ARRAY['US', 'GB', 'DE', 'FR', 'NZ'])[1 + g % 5],
         CASE g % 100 WHEN 0 THEN 'pending' ELSE 'active' END,
         date '2020-01-01' + g % 1826
  FROM generate_series(1, $1) g`;

// Each round builds a fresh empty table per index set and times one
// `INSERT … SELECT` of `rows` rows into it. The sets take turns within a
// round, so a busy moment on the machine slows all three alike; we keep
// the median of the rounds.

/** Inserts `rows` rows with each index set, `rounds` times, and reports the medians. */
export async function measureWriteCost(
  db: pg.Pool,
  { rows, rounds }: { rows: number; rounds: number },
): Promise<WriteCost[]> {
  const times = new Map<number, number[]>();
  const sizes = new Map<number, { tableBytes: number; indexBytes: number }>();
  for (let round = 0; round < rounds; round++) {
    for (const [count, indexes] of Object.entries(INDEX_SETS)) {
      await db.query("DROP TABLE IF EXISTS writes");
      await db.query(
        `CREATE TABLE writes (id int NOT NULL, email text NOT NULL, name text NOT NULL,
           country text NOT NULL, status text NOT NULL, signup_date date NOT NULL)`,
      );
      for (const ddl of indexes) await db.query(ddl);
      const start = performance.now();
      await db.query(INSERT, [rows]);
      const ms = performance.now() - start;
      times.set(Number(count), [...(times.get(Number(count)) ?? []), ms]);
      const { rows: size } = await db.query<{ table: string; indexes: string }>(
        "SELECT pg_relation_size('writes') AS table, pg_indexes_size('writes') AS indexes",
      );
      sizes.set(Number(count), {
        tableBytes: Number(size[0]!.table),
        indexBytes: Number(size[0]!.indexes),
      });
    }
  }
  await db.query("DROP TABLE IF EXISTS writes");
  return [...times.entries()].map(([indexes, ms]) => {
    const insertMs = median(ms);
    return { indexes, insertMs, rowsPerSecond: (rows / insertMs) * 1000, ...sizes.get(indexes)! };
  });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}
