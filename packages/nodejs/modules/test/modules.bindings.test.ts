import { describe, expect, it } from "@jest/globals";
import { cjsCycle, esmCycle, importCounter, requireCounter } from "../src/modules.js";

describe("CommonJS exports values; ES modules export live bindings", () => {
  it("when a CommonJS counter is incremented, then what require returned still says 0", async () => {
    // Act
    const { destructured, property } = await requireCounter();

    // Assert
    expect(destructured).toBe(0);
    expect(property).toBe(0);
  });

  it("when an ES module counter is incremented twice, then the imported binding reads 2", async () => {
    // Act
    const { esm, cjsImported } = await importCounter();

    // Assert: live for ESM; importing the CommonJS counter still gives the copy.
    expect(esm).toBe(2);
    expect(cjsImported).toBe(0);
  });
});

describe("circular dependencies", () => {
  it("when two CommonJS modules require each other, then the second sees the first's exports half filled", async () => {
    // Act
    const { bSawKeysOfA, finalKeysOfA } = await cjsCycle();

    // Assert
    expect(bSawKeysOfA).toEqual(["early"]);
    expect(finalKeysOfA).toEqual(["early", "late"]);
  });

  it("when two ES modules import each other, then reading a const before it is initialised throws a ReferenceError", async () => {
    // Act
    const { readingA, callingHello } = await esmCycle();

    // Assert: the const is in its temporal dead zone; a function declaration is not.
    expect(readingA).toBe("ReferenceError: Cannot access 'a' before initialization");
    expect(callingHello).toBe("hello from a");
  });
});
