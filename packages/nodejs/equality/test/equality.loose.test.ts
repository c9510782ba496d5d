import { describe, expect, it } from "@jest/globals";
import { looselyEqual, OPERATORS, table, VALUES } from "../src/equality.js";

// The == table, written out by hand from the spec's rules, never computed by ==.
// Each cell compares fresh values, so [] == [] is two different arrays.
const T = true;
const F = false;
// biome-ignore format: one line, like the table's columns
const HEADER = ["0", "1", '""', '"0"', '"1"', "null", "undefined", "NaN", "false", "true", "[]", "[0]", "[1]", "{}"];
// biome-ignore format: the table reads best aligned
const LOOSE: boolean[][] = [
  //               0     1     ""    "0"   "1"   null  undef NaN   false true  []    [0]   [1]   {}
  /* 0         */ [T,    F,    T,    T,    F,    F,    F,    F,    T,    F,    T,    T,    F,    F],
  /* 1         */ [F,    T,    F,    F,    T,    F,    F,    F,    F,    T,    F,    F,    T,    F],
  /* ""        */ [T,    F,    T,    F,    F,    F,    F,    F,    T,    F,    T,    F,    F,    F],
  /* "0"       */ [T,    F,    F,    T,    F,    F,    F,    F,    T,    F,    F,    T,    F,    F],
  /* "1"       */ [F,    T,    F,    F,    T,    F,    F,    F,    F,    T,    F,    F,    T,    F],
  /* null      */ [F,    F,    F,    F,    F,    T,    T,    F,    F,    F,    F,    F,    F,    F],
  /* undefined */ [F,    F,    F,    F,    F,    T,    T,    F,    F,    F,    F,    F,    F,    F],
  /* NaN       */ [F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F],
  /* false     */ [T,    F,    T,    T,    F,    F,    F,    F,    T,    F,    T,    T,    F,    F],
  /* true      */ [F,    T,    F,    F,    T,    F,    F,    F,    F,    T,    F,    F,    T,    F],
  /* []        */ [T,    F,    T,    F,    F,    F,    F,    F,    T,    F,    F,    F,    F,    F],
  /* [0]       */ [T,    F,    F,    T,    F,    F,    F,    F,    T,    F,    F,    F,    F,    F],
  /* [1]       */ [F,    T,    F,    F,    T,    F,    F,    F,    F,    T,    F,    F,    F,    F],
  /* {}        */ [F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F],
];

/** Every cell where `actual` disagrees with `expected`, as readable lines. */
function mismatches(actual: boolean[][], expected: boolean[][], op: string): string[] {
  return HEADER.flatMap((row, i) =>
    HEADER.flatMap((column, j) =>
      actual[i]![j] === expected[i]![j]
        ? []
        : [`${row} ${op} ${column}: expected ${expected[i]![j]}, got ${actual[i]![j]}`],
    ),
  );
}

describe("loose equality ==", () => {
  it("when == compares every pair of the 14 values, then each of the 196 cells matches the hand-written table", () => {
    // Arrange
    expect(VALUES.map((v) => v.label)).toEqual(HEADER);

    // Act
    const actual = table(OPERATORS["=="]);

    // Assert
    expect(mismatches(actual, LOOSE, "==")).toEqual([]);
  });

  it("when the spec's IsLooselyEqual rules are applied by hand to every pair, then they agree with the engine's == in all 196 cells", () => {
    // Arrange
    const byTheRules = (a: unknown, b: unknown) => looselyEqual(a, b).result;

    // Act
    const actual = table(byTheRules);

    // Assert
    expect(mismatches(actual, LOOSE, "==")).toEqual([]);
  });

  it("when an empty array == false is traced, then the boolean becomes 0, the array becomes an empty string, and that becomes 0", () => {
    // Arrange
    const emptyArray: unknown = [];

    // Act
    const { result, steps } = looselyEqual(emptyArray, false);

    // Assert
    expect(steps).toEqual(["[] == false", "[] == 0", '"" == 0', "0 == 0"]);
    expect(result).toBe(true);
  });

  it("when == links two values through a third, then it is not transitive", () => {
    // Arrange
    const [empty, zero, zeroString] = ["", 0, "0"];

    // Act
    const firstHolds = OPERATORS["=="](empty, zero);
    const secondHolds = OPERATORS["=="](zero, zeroString);
    const endsHold = OPERATORS["=="](empty, zeroString);

    // Assert: "" == 0 and 0 == "0", yet "" != "0".
    expect([firstHolds, secondHolds, endsHold]).toEqual([true, true, false]);
  });

  it("when an array is compared with its own negation, then == says they are equal", () => {
    // Arrange
    const list: unknown[] = [];

    // Act: ![] is false, since every object is truthy; then [] == false is 0 == 0.
    const result = OPERATORS["=="](list, !list);

    // Assert
    expect(result).toBe(true);
  });
});
