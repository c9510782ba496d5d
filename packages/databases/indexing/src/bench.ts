import { defineDemo, ScratchDatabase } from "@playground/kit";
import { measureWriteCost } from "./write-cost.js";

const mb = (bytes: number) => Number((bytes / 1024 / 1024).toFixed(1));

// `pnpm bench indexing`: what indexes cost the writes. The same rows go
// into the same table with no index, with the primary key only, and with
// the primary key and four secondary indexes.
export default defineDemo({
  title: "Indexing: what indexes cost writes",
  services: ["postgres"],
  async run(ctx) {
    const db = await ScratchDatabase.create(ctx.services.postgres.url, "indexing_bench");
    ctx.defer(() => db[Symbol.asyncDispose]());
    const rows = ctx.fast ? 20_000 : 100_000;
    const rounds = 3;
    ctx.say(
      `Inserting ${rows.toLocaleString("en")} rows with one INSERT … SELECT, ${rounds} rounds, ` +
        "into a fresh table with 0, 1 and 5 indexes; medians.",
    );

    const results = await measureWriteCost(db.pool, { rows, rounds });
    const none = results.find((r) => r.indexes === 0)!;
    for (const r of results) {
      ctx.event(
        "postgres",
        `${r.indexes} ${r.indexes === 1 ? "index" : "indexes"}: ${Math.round(r.rowsPerSecond).toLocaleString("en")} rows/s`,
        `${Math.round(r.insertMs)} ms; table ${mb(r.tableBytes)} MB, indexes ${mb(r.indexBytes)} MB`,
      );
    }
    const five = results.find((r) => r.indexes === 5)!;
    const one = results.find((r) => r.indexes === 1)!;
    ctx.metric(
      "insert time, 1 index ÷ none",
      Number((one.insertMs / none.insertMs).toFixed(2)),
      "x",
    );
    ctx.metric(
      "insert time, 5 indexes ÷ none",
      Number((five.insertMs / none.insertMs).toFixed(2)),
      "x",
    );
    ctx.metric(
      "index size, 5 indexes ÷ table",
      Number((five.indexBytes / five.tableBytes).toFixed(2)),
      "x",
    );

    ctx.table(
      results.map((r) => ({
        indexes: r.indexes,
        "rows/s": Math.round(r.rowsPerSecond),
        "time vs none": `${(r.insertMs / none.insertMs).toFixed(2)}x`,
        "table MB": mb(r.tableBytes),
        "indexes MB": mb(r.indexBytes),
      })),
    );
    ctx.claim(
      "every index slows the inserts: 5 indexes take well over 1.5 times as long as none",
      five.insertMs / none.insertMs > 1.5 && one.insertMs > none.insertMs,
    );
    ctx.claim(
      "every index takes disk of its own",
      none.indexBytes === 0 && one.indexBytes > 0 && five.indexBytes > 3 * one.indexBytes,
    );
  },
});
