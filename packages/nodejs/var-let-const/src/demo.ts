import { defineDemo } from "@playground/kit";
import { ALL, CLOSURES, CONSTANTS, HOISTING, run, SCOPE, show } from "./var-let-const.js";

const GROUPS: Record<keyof typeof ALL, string> = {
  HOISTING: "Hoisting and the temporal dead zone: what a name holds before its line runs.",
  SCOPE: "Scope: var belongs to the function, let and const to the block.",
  CLOSURES: "Closures in a loop: one shared var, or a fresh let per iteration.",
  CONSTANTS: "const fixes the binding, not the value; Object.freeze is shallow.",
};

export default defineDemo({
  title: "var, let and const",
  services: [],
  async run(ctx) {
    ctx.say("Each line is a tiny script, run by the engine in a fresh global context.");
    let count = 0;
    for (const [group, snippets] of Object.entries(ALL)) {
      ctx.say(GROUPS[group as keyof typeof ALL]);
      ctx.table(
        Object.entries(snippets).map(([name, snippet]) => {
          count++;
          const mode = "strict" in snippet && snippet.strict ? "strict" : "sloppy";
          return { case: name, mode, source: snippet.source, result: show(run(snippet)) };
        }),
      );
      await ctx.sleep(300);
    }
    ctx.metric("snippets run", count, "");

    // The claims of the answer, each checked against a fresh run.
    const is = (snippet: Parameters<typeof run>[0], expected: string) =>
      show(run(snippet)) === expected;
    ctx.claim(
      "before its line, a var is undefined but a let or const throws ReferenceError",
      is(HOISTING.varBeforeDeclaration, "undefined") &&
        is(HOISTING.letBeforeDeclaration, "throws ReferenceError") &&
        is(HOISTING.constBeforeDeclaration, "throws ReferenceError"),
    );
    ctx.claim(
      "typeof is not safe in the temporal dead zone",
      is(HOISTING.typeofInTheTdz, "throws ReferenceError"),
    );
    ctx.claim(
      "var ignores blocks but stays in its function; let and const stay in their block",
      is(SCOPE.varLeavesBlock, "1") &&
        is(SCOPE.varStaysInFunction, "throws ReferenceError") &&
        is(SCOPE.letStaysInBlock, "throws ReferenceError"),
    );
    ctx.claim(
      "closures made in a var loop all see 3; in a let loop 0, 1, 2",
      is(CLOSURES.varInLoop, "[3, 3, 3]") && is(CLOSURES.letInLoop, "[0, 1, 2]"),
    );
    ctx.claim(
      "a const cannot be reassigned, but the object it names can change",
      is(CONSTANTS.constReassigned, "throws TypeError") &&
        is(CONSTANTS.constObjectMutated, '"grace"'),
    );
    ctx.claim(
      "Object.freeze stops writes, and only one level deep",
      is(CONSTANTS.frozenStrict, "throws TypeError") && is(CONSTANTS.frozenIsShallow, "2"),
    );
  },
});
