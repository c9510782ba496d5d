import type pg from "pg";
import { type IndexCase, indexCases, type Probe } from "../src/index-cases.js";
import { withIndexes } from "../src/indexing.js";
import { type Explained, explain } from "../src/plan.js";

/** Sizes the case tests load: enough pages for the planner to care, quick to build. */
export const USERS = 100_000;
export const ORDERS = 200_000;

/** The case whose name starts with `name`. */
export function indexCase(name: string): IndexCase {
  return indexCases({ users: USERS, orders: ORDERS }).find((c) => c.name.startsWith(name))!;
}

/** Runs `probe` under EXPLAIN ANALYZE with its indexes built (and rolled back afterwards). */
export function run(db: pg.Pool, probe: Probe, extraSetup: string[] = []): Promise<Explained> {
  return withIndexes(db, [...probe.setup, ...extraSetup], (client) =>
    explain(client, probe.sql, probe.params),
  );
}
