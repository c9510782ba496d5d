import { describe, expect, it } from "@jest/globals";
import { expand, pick, satisfies } from "../src/semver-ranges.js";

// Each row: a version, and whether ^1.2.3, ~1.2.3 and 1.x accept it. The
// expectations are written out by hand from the rules, not computed.
const table: [version: string, caret: boolean, tilde: boolean, x: boolean][] = [
  ["1.2.2", false, false, true],
  ["1.2.3", true, true, true],
  ["1.2.9", true, true, true],
  ["1.3.0", true, false, true],
  ["1.9.9", true, false, true],
  ["1.3.0-beta.1", false, false, false],
  ["2.0.0", false, false, false],
  ["0.9.9", false, false, false],
];

const published = ["1.2.2", "1.2.3", "1.2.9", "1.3.0", "1.9.9", "2.0.0", "2.1.0-rc.1"];

describe("semver ranges, as npm resolves them", () => {
  it.each(table)(
    "when the version is %s, then ^1.2.3 accepts it: %s, ~1.2.3: %s, 1.x: %s",
    (version, caret, tilde, x) => {
      // Act
      const accepted = [
        satisfies(version, "^1.2.3"),
        satisfies(version, "~1.2.3"),
        satisfies(version, "1.x"),
      ];

      // Assert
      expect(accepted).toEqual([caret, tilde, x]);
    },
  );

  it("when npm resolves ^1.2.3, ~1.2.3 and 1.x against the same releases, then it picks 1.9.9, 1.2.9 and 1.9.9", () => {
    // Act
    const picked = ["^1.2.3", "~1.2.3", "1.x"].map((range) => pick(range, published));

    // Assert
    expect(picked).toEqual(["1.9.9", "1.2.9", "1.9.9"]);
  });

  it("when the major version is 0, then the caret only allows patch updates, and at 0.0.x only the exact version", () => {
    // Act
    const ranges = [expand("^0.2.3"), expand("^0.0.3")];
    const accepted = [
      satisfies("0.2.9", "^0.2.3"),
      satisfies("0.3.0", "^0.2.3"),
      satisfies("0.0.3", "^0.0.3"),
      satisfies("0.0.4", "^0.0.3"),
    ];

    // Assert
    expect(ranges).toEqual([">=0.2.3 <0.3.0-0", ">=0.0.3 <0.0.4-0"]);
    expect(accepted).toEqual([true, false, true, false]);
  });

  it("when a range names no prerelease, then prereleases are never picked, even above the range's floor", () => {
    // Act
    const picked = pick(">=2.0.0", published);
    const optedIn = pick(">=2.1.0-rc.0", published);

    // Assert
    expect(picked).toBe("2.0.0");
    expect(optedIn).toBe("2.1.0-rc.1");
  });
});
