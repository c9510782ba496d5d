import { defineDemo, ScratchDatabase } from "@playground/kit";
import {
  CUSTOMERS,
  chosenAlgorithm,
  createPlannerTables,
  customersWithOrders,
  explainWithout,
  ORDERS,
  SCENARIOS,
} from "./join-algorithms.js";
import { ANTI_JOINS, createShop, FILTERS, JOINS, type Pair, rowsOf } from "./joins.js";
import { explain, joins } from "./plan.js";

const show = (rows: Pair[]) =>
  rows.map((r) => `${r.customer ?? "NULL"}·${r.order_id ?? "NULL"}`).join("  ");
const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);
const round = (value: number, digits: number) => Number(value.toFixed(digits));

export default defineDemo({
  title: "Joins",
  services: ["postgres"],
  async run(ctx) {
    // A database of our own on the PostgreSQL server the demo was given,
    // dropped when the demo ends however it ends.
    const db = await ScratchDatabase.create(ctx.services.postgres.url, "joins_demo");
    ctx.defer(() => db[Symbol.asyncDispose]());
    await createShop(db.pool);
    ctx.say(
      "customers: Ada, Brian, Chen. orders: 100 and 101 are Ada's, 102 is Brian's, " +
        "103 is a guest checkout with customer_id NULL. Each row below is customer·order.",
    );

    // The five kinds, on the same two tables. What differs is only which
    // unmatched rows survive, and that NULL fills the side they lack.
    const results: Record<keyof typeof JOINS, Pair[]> = {
      inner: await rowsOf(db.pool, JOINS.inner),
      left: await rowsOf(db.pool, JOINS.left),
      right: await rowsOf(db.pool, JOINS.right),
      full: await rowsOf(db.pool, JOINS.full),
      cross: await rowsOf(db.pool, JOINS.cross),
    };
    for (const [kind, rows] of Object.entries(results)) {
      const detail = kind === "cross" ? "every customer with every order" : show(rows);
      ctx.event("sql", `${kind.toUpperCase()} JOIN → ${rows.length} rows`, detail);
    }

    // "Which customers never ordered?" Two safe spellings, and NOT IN,
    // which one NULL in the subquery turns into "nobody".
    const names = async (sql: string) =>
      (await rowsOf<{ name: string }>(db.pool, sql)).map((r) => r.name);
    const anti = {
      leftJoinIsNull: await names(ANTI_JOINS.leftJoinIsNull),
      notExists: await names(ANTI_JOINS.notExists),
      notIn: await names(ANTI_JOINS.notIn),
      notInWithoutNulls: await names(ANTI_JOINS.notInWithoutNulls),
    };
    ctx.say("Which customers have no order?");
    ctx.event("sql", "LEFT JOIN … WHERE o.id IS NULL", `→ ${anti.leftJoinIsNull.join(", ")}`);
    ctx.event("sql", "NOT EXISTS (…)", `→ ${anti.notExists.join(", ")}`);
    ctx.event("sql", "NOT IN (SELECT customer_id …)", `→ ${anti.notIn.length} rows: 103's NULL`);
    ctx.event("sql", "NOT IN (… WHERE customer_id IS NOT NULL)", `→ ${anti.notInWithoutNulls}`);

    // The same filter on the right table, in WHERE and in ON.
    const inWhere = await rowsOf(db.pool, FILTERS.inWhere);
    const inOn = await rowsOf(db.pool, FILTERS.inOn);
    const inner = await rowsOf(db.pool, FILTERS.innerJoin);
    const whereJoin = joins((await explain(db.pool, FILTERS.inWhere)).plan)[0]?.type ?? "";
    ctx.say("Customers and their paid orders, LEFT JOIN, with o.status = 'paid' in two places:");
    ctx.event("sql", "… WHERE o.status = 'paid'", `${show(inWhere)}  (planned as ${whereJoin})`);
    ctx.event("sql", "… ON … AND o.status = 'paid'", show(inOn));

    // Now the how. We build 10,000 customers with 100,000 orders and ask
    // the planner, scenario by scenario, which algorithm it picks, then
    // run each plan to see what it costs.
    const started = performance.now();
    await createPlannerTables(db.pool);
    ctx.event(
      "postgres",
      `loaded ${CUSTOMERS.toLocaleString("en")} customers and ${ORDERS.toLocaleString("en")} orders`,
      `${Math.round(performance.now() - started)} ms, then ANALYZE`,
    );
    const rows: { scenario: string; algorithm: string; ms: number; expected: boolean }[] = [];
    // EXPLAIN ANALYZE runs the query and times it inside the server.
    for (const scenario of SCENARIOS) {
      const { plan, executionMs } = await explain(db.pool, scenario.sql, { analyze: true });
      const algorithm = joins(plan)[0]?.algorithm ?? "none";
      rows.push({
        scenario: scenario.name,
        algorithm,
        ms: round(executionMs ?? 0, 2),
        expected: algorithm === scenario.expected,
      });
      ctx.event("planner", `${scenario.name} → ${algorithm}`, scenario.why);
    }

    // The same query shape, more and more outer rows: at some size the
    // index lookups add up to more than one pass over the orders.
    const sizes = [1, 10, 30, 100, 300, 1_000, CUSTOMERS];
    const sweep: string[] = [];
    for (const size of sizes) sweep.push(await chosenAlgorithm(db.pool, customersWithOrders(size)));
    const switchAt = sizes[sweep.indexOf("Hash Join")];
    ctx.event(
      "planner",
      `c.id <= N for N = ${sizes.join(", ")}`,
      sweep.map((a, i) => `${sizes[i]}: ${a}`).join(" · "),
    );

    // Was the planner right? We switch Nested Loop off for the 5-customer
    // query and run the plan it falls back to.
    const few = SCENARIOS[0]!;
    await explain(db.pool, few.sql, { analyze: true });
    const chosen = await explain(db.pool, few.sql, { analyze: true });
    const forced = await explainWithout(db.pool, few.sql, ["nestloop"]);
    const forcedAlgorithm = joins(forced.plan)[0]?.algorithm ?? "none";
    const slowdown = (forced.executionMs ?? 0) / (chosen.executionMs ?? 1);
    ctx.event(
      "planner",
      `enable_nestloop = off → ${forcedAlgorithm}`,
      `${round(forced.executionMs ?? 0, 2)} ms against ${round(chosen.executionMs ?? 0, 3)} ms`,
    );
    ctx.metric("Nested Loop, 5 customers", round(chosen.executionMs ?? 0, 3), "ms");
    ctx.metric(`${forcedAlgorithm} forced instead`, round(forced.executionMs ?? 0, 2), "ms");
    ctx.metric("slowdown when the planner is overruled", Math.round(slowdown), "x");
    ctx.metric("first size planned as Hash Join", switchAt ?? 0, "customers");

    ctx.table(
      rows.map((r) => ({
        scenario: r.scenario,
        "planner picked": r.algorithm,
        "execution ms": r.ms,
        "as expected": r.expected ? "yes" : "NO",
      })),
    );

    ctx.claim(
      "INNER keeps matches only; LEFT adds Chen, RIGHT adds the guest order, FULL adds both; CROSS is 3 × 4",
      [3, 4, 4, 5, 12].join() ===
        [results.inner, results.left, results.right, results.full, results.cross]
          .map((r) => r.length)
          .join(),
    );
    ctx.claim(
      "LEFT JOIN … IS NULL and NOT EXISTS find Chen; NOT IN finds nobody because of one NULL",
      same(anti.leftJoinIsNull, ["Chen"]) &&
        same(anti.notExists, ["Chen"]) &&
        anti.notIn.length === 0 &&
        same(anti.notInWithoutNulls, ["Chen"]),
    );
    ctx.claim(
      "a filter on the right table in WHERE makes a LEFT JOIN an INNER JOIN; in ON it does not",
      same(inWhere, inner) && whereJoin === "Inner" && inOn.length === inWhere.length + 1,
    );
    ctx.claim(
      "the planner picked Nested Loop, Hash Join and Merge Join as the data and indexes changed",
      rows.every((r) => r.expected),
    );
    ctx.claim(
      "overruling the planner's Nested Loop for 5 customers made the query slower",
      forcedAlgorithm !== "Nested Loop" && slowdown > 5,
    );
  },
});
