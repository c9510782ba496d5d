import { describe, expect, it } from "@jest/globals";
import { CONSTANTS, type Outcome, run, type Snippet } from "../src/var-let-const.js";

// Each row: the claim, the snippet, and the outcome we expect, written by hand.
const rows: { claim: string; snippet: Snippet; expected: Outcome }[] = [
  {
    claim: "when a const has no initial value, then the script fails with SyntaxError",
    snippet: CONSTANTS.constWithoutValue,
    expected: { throws: "SyntaxError" },
  },
  {
    claim: "when a const is assigned again, then it throws TypeError even in sloppy mode",
    snippet: CONSTANTS.constReassigned,
    expected: { throws: "TypeError" },
  },
  {
    claim: "when the object a const names is changed, then the change sticks",
    snippet: CONSTANTS.constObjectMutated,
    expected: { value: "grace" },
  },
  {
    claim: "when sloppy code writes to a frozen object, then the write is silently ignored",
    snippet: CONSTANTS.frozenSloppy,
    expected: { value: "ada" },
  },
  {
    claim: "when strict code writes to a frozen object, then it throws TypeError",
    snippet: CONSTANTS.frozenStrict,
    expected: { throws: "TypeError" },
  },
  {
    claim:
      "when an array inside a frozen object is changed, then the change sticks, since freeze is shallow",
    snippet: CONSTANTS.frozenIsShallow,
    expected: { value: 2 },
  },
];

describe("const and Object.freeze", () => {
  it.each(rows)("$claim", ({ snippet, expected }) => {
    // Arrange: the snippet and its expected outcome come from the row.
    // Act
    const outcome = run(snippet);

    // Assert
    expect(outcome).toStrictEqual(expected);
  });
});
