import { defineDemo, type TableRow } from "@playground/kit";
import { looselyEqual, OPERATORS, show, table, VALUES } from "./equality.js";

// Object keys that look like integers come first whatever we do, so the
// columns "0" and "1" get a leading space to keep the table in order.
const column = (label: string) => (/^\d+$/.test(label) ? ` ${label}` : label);

function render(op: keyof typeof OPERATORS): { rows: TableRow[]; trueCells: number } {
  const cells = table(OPERATORS[op]);
  const rows = VALUES.map((row, i) => {
    const line: TableRow = { [op]: row.label };
    VALUES.forEach((col, j) => {
      line[column(col.label)] = cells[i]![j] ? "✓" : "·";
    });
    return line;
  });
  return { rows, trueCells: cells.flat().filter(Boolean).length };
}

export default defineDemo({
  title: "== and ===",
  services: [],
  async run(ctx) {
    ctx.say("14 values, every pair compared with ==. Each cell builds fresh values.");
    const loose = render("==");
    ctx.table(loose.rows);
    ctx.metric("cells where == is true", loose.trueCells, "of 196");
    await ctx.sleep(500);

    // The same pairs by the spec's rules, written out in src/equality.ts.
    const byRules = table((a, b) => looselyEqual(a, b).result);
    const engine = table(OPERATORS["=="]);
    const agree = byRules.flat().filter((cell, k) => cell === engine.flat()[k]).length;
    ctx.metric("cells where the spec's rules agree with ==", agree, "of 196");

    ctx.say("Why: == converts one side at a time until the types match.");
    const traced: [unknown, unknown][] = [
      [[], false],
      ["0", false],
      [[0], "0"],
      ["", 0],
      [null, 0],
    ];
    for (const [a, b] of traced) {
      const { result, steps } = looselyEqual(a, b);
      ctx.event("==", `${steps.join(" → ")} → ${result}`);
    }
    await ctx.sleep(500);

    ctx.say("The same pairs with ===: no conversion, so only a value equals itself.");
    const strict = render("===");
    ctx.table(strict.rows);
    ctx.metric("cells where === is true", strict.trueCells, "of 196");
    await ctx.sleep(500);

    ctx.say("Where === and Object.is part ways: NaN and -0.");
    const nan = Number.NaN;
    const facts = {
      nanLoose: OPERATORS["=="](nan, nan),
      nanStrict: OPERATORS["==="](nan, nan),
      nanIs: Object.is(nan, nan),
      zeroStrict: OPERATORS["==="](0, -0),
      zeroIs: Object.is(0, -0),
      includes: [nan].includes(nan),
      indexOf: [nan].indexOf(nan),
    };
    ctx.table([
      { comparison: "NaN == NaN", result: facts.nanLoose },
      { comparison: "NaN === NaN", result: facts.nanStrict },
      { comparison: "Object.is(NaN, NaN)", result: facts.nanIs },
      { comparison: `0 === ${show(-0)}`, result: facts.zeroStrict },
      { comparison: `Object.is(0, ${show(-0)})`, result: facts.zeroIs },
      { comparison: "[NaN].includes(NaN)", result: facts.includes },
      { comparison: "[NaN].indexOf(NaN)", result: facts.indexOf },
    ]);

    const eq = OPERATORS["=="];
    ctx.claim('== converts types first: 0 == "" and "0" == false', eq(0, "") && eq("0", false));
    ctx.claim("the spec's rules, applied by hand, give the same table as ==", agree === 196);
    ctx.claim("=== is true only for the same primitive: 9 cells of 196", strict.trueCells === 9);
    ctx.claim(
      '== is not transitive: "" == 0 and 0 == "0", but "" != "0"',
      eq("", 0) && eq(0, "0") && !eq("", "0"),
    );
    ctx.claim(
      "NaN equals nothing under == and ===, itself under Object.is",
      !facts.nanLoose && !facts.nanStrict && facts.nanIs,
    );
    ctx.claim("+0 === -0, but Object.is tells them apart", facts.zeroStrict && !facts.zeroIs);
  },
});
