import { defineDemo, ScratchDatabase } from "@playground/kit";
import { indexCases, loadOrders } from "./index-cases.js";
import {
  BY_EMAIL,
  EMAIL_INDEX,
  EMAIL_ONLY,
  emailOf,
  loadUsers,
  sizeOf,
  withIndexes,
} from "./indexing.js";
import { describe, type Explained, explain, indexesUsed, scanTypes } from "./plan.js";

const round = (value: number, digits = 1) => Number(value.toFixed(digits));
const count = (n: number) => n.toLocaleString("en");

/** The run with the median execution time of `runs` EXPLAIN ANALYZE runs. */
async function medianRun(run: () => Promise<Explained>, runs = 5): Promise<Explained> {
  const all: Explained[] = [];
  for (let i = 0; i < runs; i++) all.push(await run());
  return all.sort((a, b) => a.executionMs - b.executionMs)[Math.floor(runs / 2)]!;
}

export default defineDemo({
  title: "Indexing",
  services: ["postgres"],
  async run(ctx) {
    // Parallel query is off in our database: one process per scan keeps
    // the plans simple and the timings comparable on a shared machine.
    const db = await ScratchDatabase.create(ctx.services.postgres.url, "indexing_demo", {
      max_parallel_workers_per_gather: 0,
    });
    ctx.defer(() => db[Symbol.asyncDispose]());
    const pool = db.pool;
    const users = ctx.fast ? 200_000 : 1_000_000;

    // A million users, generated inside the server in one statement,
    // then VACUUM ANALYZE: statistics for the planner, and the visibility
    // map for index-only scans.
    const { insertMs, upkeepMs } = await loadUsers(pool, users);
    const loadSeconds = insertMs / 1000;
    const tablePages = (await sizeOf(pool, "users")) / 8192;
    ctx.event(
      "postgres",
      `loaded ${count(users)} users in ${round(loadSeconds)} s`,
      `INSERT … SELECT generate_series; ${count(tablePages)} pages of 8 kB; VACUUM ANALYZE ${round(upkeepMs / 1000)} s`,
    );
    ctx.metric("load time", round(loadSeconds), "s");

    // One lookup by email, before and after a B-tree index. EXPLAIN
    // (ANALYZE, BUFFERS) runs it and reports the plan, the time the
    // server spent, and how many pages it touched.
    const email = emailOf(Math.floor(users * 0.61));
    const before = await medianRun(() => explain(pool, BY_EMAIL, [email]));
    ctx.event(
      "planner",
      `WHERE email = '${email}' → ${describe(before.plan)}`,
      `${round(before.executionMs, 2)} ms, ${count(before.pages)} pages read`,
    );

    const buildStart = performance.now();
    await pool.query(EMAIL_INDEX);
    const buildMs = performance.now() - buildStart;
    const indexBytes = await sizeOf(pool, "users_email");
    ctx.event(
      "postgres",
      "CREATE INDEX users_email ON users (email)",
      `${Math.round(buildMs)} ms, ${round(indexBytes / 1024 / 1024)} MB`,
    );
    const after = await medianRun(() => explain(pool, BY_EMAIL, [email]));
    ctx.event(
      "planner",
      `WHERE email = '${email}' → ${describe(after.plan)}`,
      `${round(after.executionMs, 3)} ms, ${after.pages} pages read`,
    );
    const speedup = before.executionMs / after.executionMs;
    ctx.metric("lookup before the index (Seq Scan)", round(before.executionMs, 2), "ms");
    ctx.metric("lookup after the index (Index Scan)", round(after.executionMs, 3), "ms");
    ctx.metric("speed-up", Math.round(speedup), "x");
    ctx.metric("pages read, before ÷ after", Math.round(before.pages / after.pages), "x");

    // Ask only for the email and the table is never touched.
    const indexOnly = await explain(pool, EMAIL_ONLY, [email]);
    ctx.event(
      "planner",
      `SELECT email … → ${describe(indexOnly.plan)}`,
      `heap fetches: ${indexOnly.plan["Heap Fetches"]}, ${indexOnly.pages} pages`,
    );
    await pool.query("DROP INDEX users_email");

    // Five shapes of query: for each, one the index serves and one it
    // does not. Each runs in a transaction that builds its indexes and
    // rolls them back, so the cases do not see each other's indexes.
    // The shapes do not need a million rows, and each case builds its
    // indexes afresh: we reload 200,000 users so every build is quick.
    const sample = 200_000;
    const orders = 200_000;
    if (users !== sample) {
      await pool.query("DROP TABLE users");
      await loadUsers(pool, sample);
    }
    await loadOrders(pool, orders);
    ctx.say(
      `Five kinds of index on ${count(sample)} users and ${count(orders)} orders, ` +
        "each with a query it serves and one it does not:",
    );
    const rows: Record<string, string | number>[] = [];
    const holds: boolean[] = [];
    for (const c of indexCases({ users: sample, orders })) {
      const run = (probe: typeof c.hit) =>
        withIndexes(pool, probe.setup, (client) => explain(client, probe.sql, probe.params));
      const hit = await run(c.hit);
      const miss = await run(c.miss);
      holds.push(c.holds(hit.plan, miss.plan));
      ctx.event("planner", c.name, c.why);
      for (const [verdict, probe, result] of [
        ["serves", c.hit, hit],
        ["does not serve", c.miss, miss],
      ] as const) {
        const query = probe.sql.replace(/ FROM \w+ /, " … ");
        ctx.event(
          "planner",
          `  ${verdict}: ${query}`,
          `${describe(result.plan)}, ${result.pages} pages`,
        );
        rows.push({
          index: c.name,
          query,
          plan: describe(result.plan),
          pages: result.pages,
          ms: round(result.executionMs, 2),
        });
      }
    }

    // Forcing the status index on the common value shows the planner was
    // right to ignore it: it cannot skip a single page of the table.
    const selectivity = indexCases({ users: sample, orders }).at(-1)!;
    const forced = await withIndexes(
      pool,
      [...selectivity.miss.setup, "SET LOCAL enable_seqscan = off"],
      (client) => explain(client, selectivity.miss.sql),
    );
    const chosenPages = Number(rows.at(-1)?.pages);
    ctx.event(
      "planner",
      "status = 'active' with enable_seqscan = off",
      `${describe(forced.plan)}: ${count(forced.pages)} pages against the Seq Scan's ${count(chosenPages)}`,
    );

    ctx.table(rows);

    ctx.claim(`${count(users)} rows loaded in under 15 s`, loadSeconds < 15);
    ctx.claim(
      "the B-tree turned a Seq Scan of every page into an Index Scan of a handful, over 20 times faster",
      scanTypes(before.plan).join() === "Seq Scan" &&
        before.pages === tablePages &&
        scanTypes(after.plan).join() === "Index Scan" &&
        after.pages <= 6 &&
        speedup > 20,
    );
    ctx.claim(
      "a query for indexed columns only was an Index Only Scan that never read the table",
      scanTypes(indexOnly.plan).join() === "Index Only Scan" &&
        indexOnly.plan["Heap Fetches"] === 0,
    );
    const names = indexCases({ users: sample, orders }).map((c) => c.name);
    names.forEach((name, i) => {
      ctx.claim(`${name}: used where it fits, not where it does not`, holds[i] === true);
    });
    ctx.claim(
      "forcing the index on a 98% value read more pages than the Seq Scan the planner chose",
      indexesUsed(forced.plan).includes("users_status") && forced.pages > chosenPages,
    );
  },
});
