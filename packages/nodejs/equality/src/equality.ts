// JavaScript has four equalities, and they differ only at the edges:
// - `===` (IsStrictlyEqual): same type and same value; no conversion.
// - `==` (IsLooselyEqual): converts the operands until the types match.
// - `Object.is` (SameValue): like `===`, but `NaN` equals `NaN`, `+0` is not `-0`.
// - SameValueZero: like `Object.is`, but `+0` is `-0`; used by `includes`,
//   `Map`, `Set`.
// For objects all four compare references: two arrays with the same items
// are two different objects.

/** One value of the table. `make` builds a fresh one, so two arrays are never the same object. */
export interface TableValue {
  label: string;
  make: () => unknown;
}

/** The values of the comparison table, rows and columns in this order. */
export const VALUES: TableValue[] = [
  { label: "0", make: () => 0 },
  { label: "1", make: () => 1 },
  { label: '""', make: () => "" },
  { label: '"0"', make: () => "0" },
  { label: '"1"', make: () => "1" },
  { label: "null", make: () => null },
  { label: "undefined", make: () => undefined },
  { label: "NaN", make: () => Number.NaN },
  { label: "false", make: () => false },
  { label: "true", make: () => true },
  { label: "[]", make: () => [] },
  { label: "[0]", make: () => [0] },
  { label: "[1]", make: () => [1] },
  { label: "{}", make: () => ({}) },
];

/** The engine's own operators, for the tables. */
export const OPERATORS = {
  // biome-ignore lint/suspicious/noDoubleEquals: `==` is the subject of this concept.
  "==": (a: unknown, b: unknown) => a == b,
  "===": (a: unknown, b: unknown) => a === b,
  "Object.is": (a: unknown, b: unknown) => Object.is(a, b),
};

/** `compare` applied to every pair of {@link VALUES}, each cell with fresh values. */
export function table(compare: (a: unknown, b: unknown) => boolean): boolean[][] {
  return VALUES.map((row) => VALUES.map((column) => compare(row.make(), column.make())));
}

// `==` is not guesswork: the spec's IsLooselyEqual is a short list of rules,
// tried in order, each either answering or converting one side and starting
// again. We write it out (leaving out BigInt and `document.all`) and record
// every step, so `[] == false` shows its way to `0 == 0`.

/** Evaluates `a == b` by the spec's rules, and lists every comparison on the way. */
export function looselyEqual(a: unknown, b: unknown, steps: string[] = []): LooseResult {
  steps.push(`${show(a)} == ${show(b)}`);
  const done = (result: boolean) => ({ result, steps });
  // 1. Same type: no conversion at all, it is `===`. So `NaN == NaN` is false.
  if (typeOf(a) === typeOf(b)) return done(a === b);
  // 2. `null` and `undefined` equal each other, and nothing else.
  if (isNullish(a) || isNullish(b)) return done(isNullish(a) && isNullish(b));
  // 3. Number and string: the string becomes a number; `""` becomes 0.
  if (typeof a === "number" && typeof b === "string") return looselyEqual(a, Number(b), steps);
  if (typeof a === "string" && typeof b === "number") return looselyEqual(Number(a), b, steps);
  // 4. A boolean always becomes a number first: `true == "1"` is `1 == "1"`.
  if (typeof a === "boolean") return looselyEqual(Number(a), b, steps);
  if (typeof b === "boolean") return looselyEqual(a, Number(b), steps);
  // 5. An object against a primitive: the object becomes a primitive,
  //    through `valueOf` and then `toString`. `[]` becomes `""`.
  if (isObject(a) && !isObject(b)) return looselyEqual(toPrimitive(a), b, steps);
  if (isObject(b) && !isObject(a)) return looselyEqual(a, toPrimitive(b), steps);
  // 6. Anything else (a symbol against a number, say) is not equal.
  return done(false);
}

export interface LooseResult {
  result: boolean;
  steps: string[];
}

function typeOf(value: unknown): string {
  if (value === null) return "null";
  return typeof value === "function" ? "object" : typeof value;
}

function isNullish(value: unknown): value is null | undefined {
  return value === null || value === undefined;
}

function isObject(value: unknown): value is object {
  return typeOf(value) === "object";
}

// ToPrimitive with no hint: `valueOf` first, and if that gives back an
// object (as it does for arrays and plain objects), `toString`.
function toPrimitive(value: object): unknown {
  const viaValueOf: unknown = value.valueOf();
  return isObject(viaValueOf) ? value.toString() : viaValueOf;
}

/** A value as we would write it in code: `""`, `[0]`, `{}`, `NaN`. */
export function show(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  if (Array.isArray(value)) return `[${value.map(show).join(", ")}]`;
  if (isObject(value)) return "{}";
  return Object.is(value, -0) ? "-0" : String(value);
}
