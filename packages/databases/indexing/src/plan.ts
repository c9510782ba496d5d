import type pg from "pg";

/** One node of an `EXPLAIN (FORMAT JSON)` plan: the fields we read, and its children. */
export interface PlanNode {
  "Node Type": string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Index Cond"?: string;
  Filter?: string;
  "Heap Fetches"?: number;
  "Total Cost": number;
  "Plan Rows": number;
  "Actual Rows"?: number;
  "Shared Hit Blocks"?: number;
  "Shared Read Blocks"?: number;
  Plans?: PlanNode[];
}

/** What the planner chose, and with `analyze`, what running it cost. */
export interface Explained {
  plan: PlanNode;
  /** The server's own timing of the statement, in ms (with `analyze`). */
  executionMs: number;
  /** 8 kB pages the statement touched, from the cache or from disk (with `analyze`). */
  pages: number;
}

/**
 * `EXPLAIN (ANALYZE, BUFFERS, FORMAT JSON)` runs the statement and reports
 * the plan with what each node did. Without `analyze` we get only the plan.
 */
export async function explain(
  db: pg.Pool | pg.PoolClient,
  sql: string,
  params: unknown[] = [],
  { analyze = true }: { analyze?: boolean } = {},
): Promise<Explained> {
  const options = analyze ? "ANALYZE, BUFFERS, FORMAT JSON" : "FORMAT JSON";
  const { rows } = await db.query<{
    "QUERY PLAN": [{ Plan: PlanNode; "Execution Time"?: number }];
  }>(`EXPLAIN (${options}) ${sql}`, params);
  const [top] = rows[0]!["QUERY PLAN"];
  const plan = top.Plan;
  const pages = (plan["Shared Hit Blocks"] ?? 0) + (plan["Shared Read Blocks"] ?? 0);
  return { plan, executionMs: top["Execution Time"] ?? Number.NaN, pages };
}

/** Every node of the plan, top-down, depth first. */
export function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

/** How the plan reads its table: the scan nodes' types, e.g. ["Seq Scan"]. */
export function scanTypes(plan: PlanNode): string[] {
  return nodes(plan)
    .map((node) => node["Node Type"])
    .filter((type) => type.endsWith("Scan"));
}

/** The indexes the plan reads. */
export function indexesUsed(plan: PlanNode): string[] {
  return nodes(plan).flatMap((node) => (node["Index Name"] ? [node["Index Name"]] : []));
}

/** A short line for humans: `Seq Scan`, `Index Scan (users_email)`, `Bitmap Scan (…)`. */
export function describe(plan: PlanNode): string {
  const types = scanTypes(plan);
  const type = types.includes("Bitmap Index Scan") ? "Bitmap Scan" : types.join(" + ");
  const indexes = indexesUsed(plan);
  return indexes.length ? `${type} (${indexes.join(", ")})` : type;
}
