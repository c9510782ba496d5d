import { describe, expect, it } from "@jest/globals";
import { CLOSURES, type Outcome, run, type Snippet } from "../src/var-let-const.js";

// Each row: the claim, the snippet, and the outcome we expect, written by hand.
const rows: { claim: string; snippet: Snippet; expected: Outcome }[] = [
  {
    claim: "when closures are made in a for loop with var, then all of them see the last value",
    snippet: CLOSURES.varInLoop,
    expected: { value: [3, 3, 3] },
  },
  {
    claim:
      "when closures are made in a for loop with let, then each keeps its own iteration's value",
    snippet: CLOSURES.letInLoop,
    expected: { value: [0, 1, 2] },
  },
];

describe("closures in loops", () => {
  it.each(rows)("$claim", ({ snippet, expected }) => {
    // Arrange: the snippet and its expected outcome come from the row.
    // Act
    const outcome = run(snippet);

    // Assert
    expect(outcome).toStrictEqual(expected);
  });
});
