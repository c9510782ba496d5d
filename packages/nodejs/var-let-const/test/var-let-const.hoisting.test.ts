import { describe, expect, it } from "@jest/globals";
import { HOISTING, type Outcome, run, type Snippet } from "../src/var-let-const.js";

// Each row: the claim, the snippet, and the outcome we expect, written by hand.
const rows: { claim: string; snippet: Snippet; expected: Outcome }[] = [
  {
    claim: "when a var is read before its declaration, then it is undefined",
    snippet: HOISTING.varBeforeDeclaration,
    expected: { value: undefined },
  },
  {
    claim: "when a let is read before its declaration, then it throws ReferenceError",
    snippet: HOISTING.letBeforeDeclaration,
    expected: { throws: "ReferenceError" },
  },
  {
    claim: "when a const is read before its declaration, then it throws ReferenceError",
    snippet: HOISTING.constBeforeDeclaration,
    expected: { throws: "ReferenceError" },
  },
  {
    claim: "when typeof meets a let in its dead zone, then it throws ReferenceError",
    snippet: HOISTING.typeofInTheTdz,
    expected: { throws: "ReferenceError" },
  },
  {
    claim: "when typeof meets a name never declared, then it returns undefined",
    snippet: HOISTING.typeofUndeclared,
    expected: { value: "undefined" },
  },
  {
    claim: "when a function reads a let after the declaration line has run, then it gets the value",
    snippet: HOISTING.readAfterDeclarationRan,
    expected: { value: 1 },
  },
  {
    claim:
      "when a function reads a let before the declaration line has run, then it throws ReferenceError",
    snippet: HOISTING.readBeforeDeclarationRan,
    expected: { throws: "ReferenceError" },
  },
  {
    claim: "when a function declaration is called above its line, then it runs",
    snippet: HOISTING.functionDeclaration,
    expected: { value: "hi" },
  },
  {
    claim: "when a function expression in a var is called above its line, then it throws TypeError",
    snippet: HOISTING.functionExpressionInVar,
    expected: { throws: "TypeError" },
  },
];

describe("hoisting and the temporal dead zone", () => {
  it.each(rows)("$claim", ({ snippet, expected }) => {
    // Arrange: the snippet and its expected outcome come from the row.
    // Act
    const outcome = run(snippet);

    // Assert
    expect(outcome).toStrictEqual(expected);
  });
});
