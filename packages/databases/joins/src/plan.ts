import type pg from "pg";

/** One node of an `EXPLAIN (FORMAT JSON)` plan: the fields we read, and its children. */
export interface PlanNode {
  "Node Type": string;
  "Join Type"?: string;
  "Relation Name"?: string;
  "Index Name"?: string;
  "Parent Relationship"?: string;
  Filter?: string;
  "Total Cost": number;
  "Actual Total Time"?: number;
  Plans?: PlanNode[];
}

/** The planner's answer for one statement. */
export interface Explained {
  plan: PlanNode;
  /** With `analyze`: how long the statement took to run, in ms, as the server measured it. */
  executionMs: number | undefined;
}

/**
 * Asks the planner how it would run `sql` (and, with `analyze`, runs it and
 * reports what happened). The JSON form lets a test assert on node types
 * instead of grepping text.
 */
export async function explain(
  db: pg.Pool | pg.PoolClient,
  sql: string,
  { analyze = false }: { analyze?: boolean } = {},
): Promise<Explained> {
  const options = analyze ? "ANALYZE, FORMAT JSON" : "FORMAT JSON";
  const { rows } = await db.query<{
    "QUERY PLAN": [{ Plan: PlanNode; "Execution Time"?: number }];
  }>(`EXPLAIN (${options}) ${sql}`);
  const [top] = rows[0]!["QUERY PLAN"];
  return { plan: top.Plan, executionMs: top["Execution Time"] };
}

/** Every node of the plan, top-down, depth first. */
export function nodes(plan: PlanNode): PlanNode[] {
  return [plan, ...(plan.Plans ?? []).flatMap(nodes)];
}

const JOIN_NODES = new Set(["Nested Loop", "Hash Join", "Merge Join"]);

/** The join nodes of the plan, top-down: which algorithm, and which kind of join. */
export function joins(plan: PlanNode): { algorithm: string; type: string }[] {
  return nodes(plan)
    .filter((node) => JOIN_NODES.has(node["Node Type"]))
    .map((node) => ({ algorithm: node["Node Type"], type: node["Join Type"] ?? "" }));
}
