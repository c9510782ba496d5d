import vm from "node:vm";

// TypeScript refuses most of the code this concept is about (a `let` read
// before its line, a `const` assigned twice), and rightly so. So we keep the
// examples as strings of plain JavaScript and run each one as a fresh script
// in a fresh global object, where the engine, not the compiler, decides.

/** How a snippet ended: the value of its last expression, or the name of what it threw. */
export type Outcome = { value: unknown } | { throws: string };

/** A snippet of JavaScript; `strict` runs it under "use strict". */
export interface Snippet {
  source: string;
  strict?: boolean;
}

/** Runs `snippet` in a new global context and reports how it ended. */
export function run({ source, strict = false }: Snippet): Outcome {
  try {
    const script = new vm.Script(strict ? `"use strict";\n${source}` : source);
    const value: unknown = script.runInNewContext({}, { timeout: 1000 });
    // An array from another context is not an `Array` of ours; a copy is.
    return { value: typeof value === "object" && value !== null ? structuredClone(value) : value };
  } catch (error) {
    // Errors from another context fail `instanceof ReferenceError`, so we compare names.
    return { throws: (error as Error).name };
  }
}

// All three declarations are hoisted: the engine knows every name of a scope
// before it runs the first line. What differs is the value until the
// declaration line runs. A `var` is `undefined`; a `let` or `const` is in
// the temporal dead zone (TDZ), and touching it throws `ReferenceError`.
// Even `typeof`, otherwise safe on names that do not exist, throws there.

export const HOISTING = {
  varBeforeDeclaration: { source: "var before = x; var x = 1; before;" },
  letBeforeDeclaration: { source: "x; let x = 1;" },
  constBeforeDeclaration: { source: "x; const x = 1;" },
  typeofInTheTdz: { source: "typeof x; let x = 1;" },
  typeofUndeclared: { source: "typeof neverDeclared;" },
  // The zone is about time, not position: a function may mention `x`
  // above its line, as long as it is called after the line has run.
  readAfterDeclarationRan: { source: "function read() { return x; } let x = 1; read();" },
  readBeforeDeclarationRan: { source: "function read() { return x; } read(); let x = 1;" },
  // Function declarations are hoisted with their body; a function
  // expression in a `var` is only `undefined` until its line.
  functionDeclaration: { source: "greet(); function greet() { return 'hi'; }" },
  functionExpressionInVar: { source: "greet(); var greet = function () { return 'hi'; };" },
} satisfies Record<string, Snippet>;

// `var` belongs to the nearest function (or the script); a block `{ }`,
// an `if` or a `for` does not contain it. `let` and `const` belong to the
// nearest block. At the top of a script, `var` even becomes a property of
// the global object, and assigning to a name never declared creates one,
// unless strict mode stops it.

export const SCOPE = {
  varLeavesBlock: { source: "{ var inside = 1; } inside;" },
  letStaysInBlock: { source: "{ let inside = 1; } inside;" },
  constStaysInBlock: { source: "{ const inside = 1; } inside;" },
  varStaysInFunction: { source: "function f() { var local = 1; } f(); local;" },
  varLeavesIfToFunction: {
    source:
      "function f(flag) { if (flag) { var found = 'yes'; } return found; } [f(true), f(false)];",
  },
  topLevelVarOnGlobal: { source: "var shared = 1; globalThis.shared;" },
  topLevelLetNotOnGlobal: { source: "let own = 1; globalThis.own;" },
  undeclaredAssignmentSloppy: { source: "function f() { leaked = 1; } f(); globalThis.leaked;" },
  undeclaredAssignmentStrict: {
    source: "function f() { leaked = 1; } f(); globalThis.leaked;",
    strict: true,
  },
  redeclareVar: { source: "var a = 1; var a = 2; a;" },
  // Declaring a `let` twice is an early error: the script is rejected when
  // it is parsed, so even the `throw` on its first line never runs.
  redeclareLet: { source: "throw new Error('first line ran'); let a = 1; let a = 2;" },
} satisfies Record<string, Snippet>;

// A loop with `var` has one `i` for the whole loop, so every closure made in
// it reads the same variable, after the loop has left it at 3. A `for (let`
// loop makes a fresh binding per iteration, and each closure keeps its own.

export const CLOSURES = {
  varInLoop: {
    source: "var fns = []; for (var i = 0; i < 3; i++) fns.push(() => i); fns.map((f) => f());",
  },
  letInLoop: {
    source: "var fns = []; for (let i = 0; i < 3; i++) fns.push(() => i); fns.map((f) => f());",
  },
} satisfies Record<string, Snippet>;

// `const` makes the binding constant, not the value. We cannot point the
// name at something else (`TypeError`, in sloppy mode too), but the object
// it names changes freely. `Object.freeze` makes the object read-only:
// writes are ignored silently, or throw under "use strict". It is shallow:
// an array inside a frozen object still changes.

const FROZEN = "const user = Object.freeze({ name: 'ada' }); user.name = 'grace'; user.name;";

export const CONSTANTS = {
  constWithoutValue: { source: "const limit;" },
  constReassigned: { source: "const limit = 1; limit = 2;" },
  constObjectMutated: { source: "const user = { name: 'ada' }; user.name = 'grace'; user.name;" },
  frozenSloppy: { source: FROZEN },
  frozenStrict: { source: FROZEN, strict: true },
  frozenIsShallow: {
    source: "const user = Object.freeze({ tags: ['a'] }); user.tags.push('b'); user.tags.length;",
  },
} satisfies Record<string, Snippet>;

/** Every snippet above, by group, for the demo's table. */
export const ALL = { HOISTING, SCOPE, CLOSURES, CONSTANTS } as const;

/** An outcome in a few characters: `undefined`, `[3, 3, 3]`, `throws TypeError`. */
export function show(outcome: Outcome): string {
  return "throws" in outcome ? `throws ${outcome.throws}` : format(outcome.value);
}

function format(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(format).join(", ")}]`;
  return typeof value === "string" ? JSON.stringify(value) : String(value);
}
