import { describe, expect, it } from "@jest/globals";
import { OPERATORS, table, VALUES } from "../src/equality.js";

// The === table, written out by hand: only the same primitive equals itself,
// NaN never does, and two fresh objects are two different objects.
const T = true;
const F = false;
// biome-ignore format: one line, like the table's columns
const HEADER = ["0", "1", '""', '"0"', '"1"', "null", "undefined", "NaN", "false", "true", "[]", "[0]", "[1]", "{}"];
// biome-ignore format: the table reads best aligned
const STRICT: boolean[][] = [
  //               0     1     ""    "0"   "1"   null  undef NaN   false true  []    [0]   [1]   {}
  /* 0         */ [T,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F],
  /* 1         */ [F,    T,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F],
  /* ""        */ [F,    F,    T,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F],
  /* "0"       */ [F,    F,    F,    T,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F],
  /* "1"       */ [F,    F,    F,    F,    T,    F,    F,    F,    F,    F,    F,    F,    F,    F],
  /* null      */ [F,    F,    F,    F,    F,    T,    F,    F,    F,    F,    F,    F,    F,    F],
  /* undefined */ [F,    F,    F,    F,    F,    F,    T,    F,    F,    F,    F,    F,    F,    F],
  /* NaN       */ [F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F],
  /* false     */ [F,    F,    F,    F,    F,    F,    F,    F,    T,    F,    F,    F,    F,    F],
  /* true      */ [F,    F,    F,    F,    F,    F,    F,    F,    F,    T,    F,    F,    F,    F],
  /* []        */ [F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F],
  /* [0]       */ [F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F],
  /* [1]       */ [F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F],
  /* {}        */ [F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F,    F],
];

describe("strict equality === and Object.is", () => {
  it("when === compares every pair of the 14 values, then each of the 196 cells matches the hand-written table", () => {
    // Arrange
    expect(VALUES.map((v) => v.label)).toEqual(HEADER);

    // Act
    const actual = table(OPERATORS["==="]);

    // Assert
    const wrong = HEADER.flatMap((row, i) =>
      HEADER.flatMap((column, j) =>
        actual[i]![j] === STRICT[i]![j] ? [] : [`${row} === ${column}: got ${actual[i]![j]}`],
      ),
    );
    expect(wrong).toEqual([]);
  });

  it("when NaN is compared with itself, then == and === both say false and Object.is says true", () => {
    // Arrange
    const nan = Number.NaN;

    // Act
    const results = [OPERATORS["=="](nan, nan), OPERATORS["==="](nan, nan), Object.is(nan, nan)];

    // Assert
    expect(results).toEqual([false, false, true]);
  });

  it("when +0 and -0 are compared, then === says equal and Object.is says different", () => {
    // Arrange
    const [plus, minus] = [0, -0];

    // Act
    const results = [OPERATORS["==="](plus, minus), Object.is(plus, minus)];

    // Assert: they differ, for one: 1 / -0 is -Infinity.
    expect(results).toEqual([true, false]);
    expect(1 / minus).toBe(Number.NEGATIVE_INFINITY);
  });

  it("when an array holding NaN is searched, then includes finds it and indexOf does not", () => {
    // Arrange
    const values = [1, Number.NaN];

    // Act: includes uses SameValueZero, indexOf uses ===.
    const found = [values.includes(Number.NaN), values.indexOf(Number.NaN)];

    // Assert
    expect(found).toEqual([true, -1]);
  });

  it("when two objects have the same contents, then == and === say different, and one object equals itself", () => {
    // Arrange
    const a = { id: 1 };
    const b = { id: 1 };

    // Act
    const results = [OPERATORS["=="](a, b), OPERATORS["==="](a, b), OPERATORS["==="](a, a)];

    // Assert
    expect(results).toEqual([false, false, true]);
  });
});
