import { describe, expect, it } from "@jest/globals";
import { type Outcome, run, SCOPE, type Snippet } from "../src/var-let-const.js";

// Each row: the claim, the snippet, and the outcome we expect, written by hand.
const rows: { claim: string; snippet: Snippet; expected: Outcome }[] = [
  {
    claim: "when a var is declared in a block, then it is visible after the block",
    snippet: SCOPE.varLeavesBlock,
    expected: { value: 1 },
  },
  {
    claim: "when a let is declared in a block, then it is gone after the block",
    snippet: SCOPE.letStaysInBlock,
    expected: { throws: "ReferenceError" },
  },
  {
    claim: "when a const is declared in a block, then it is gone after the block",
    snippet: SCOPE.constStaysInBlock,
    expected: { throws: "ReferenceError" },
  },
  {
    claim: "when a var is declared in a function, then it is gone outside the function",
    snippet: SCOPE.varStaysInFunction,
    expected: { throws: "ReferenceError" },
  },
  {
    claim:
      "when a var is declared in an if that did not run, then the function still has it, as undefined",
    snippet: SCOPE.varLeavesIfToFunction,
    expected: { value: ["yes", undefined] },
  },
  {
    claim: "when a script declares a top-level var, then it becomes a property of globalThis",
    snippet: SCOPE.topLevelVarOnGlobal,
    expected: { value: 1 },
  },
  {
    claim: "when a script declares a top-level let, then globalThis does not get it",
    snippet: SCOPE.topLevelLetNotOnGlobal,
    expected: { value: undefined },
  },
  {
    claim: "when sloppy code assigns to an undeclared name, then it creates a global",
    snippet: SCOPE.undeclaredAssignmentSloppy,
    expected: { value: 1 },
  },
  {
    claim: "when strict code assigns to an undeclared name, then it throws ReferenceError",
    snippet: SCOPE.undeclaredAssignmentStrict,
    expected: { throws: "ReferenceError" },
  },
  {
    claim: "when a var is declared twice, then the second simply assigns",
    snippet: SCOPE.redeclareVar,
    expected: { value: 2 },
  },
  {
    claim:
      "when a let is declared twice in one scope, then the script fails with SyntaxError before it runs",
    snippet: SCOPE.redeclareLet,
    expected: { throws: "SyntaxError" },
  },
];

describe("function scope and block scope", () => {
  it.each(rows)("$claim", ({ snippet, expected }) => {
    // Arrange: the snippet and its expected outcome come from the row.
    // Act
    const outcome = run(snippet);

    // Assert
    expect(outcome).toStrictEqual(expected);
  });
});
