import semver from "semver";

// A dependency is declared as a range, not a version. npm picks the highest
// published version inside the range, writes it to package-lock.json, and
// `npm ci` reinstalls exactly that. The `semver` library is the code npm
// itself uses to decide "inside".
//
//   ^1.2.3  any 1.x.y at or above 1.2.3: new features and fixes, never 2.0.0
//   ~1.2.3  any 1.2.y at or above 1.2.3: fixes only
//   1.x     any 1.y.z at all
//
// Caret means "nothing that can break me", and below 1.0.0 every minor can
// break: ^0.2.3 stays within 0.2.x, and ^0.0.3 means exactly 0.0.3.
// Prereleases (1.3.0-beta.1) are left out unless the range names one.

/** Whether `version` is inside `range`, exactly as npm decides it. */
export function satisfies(version: string, range: string): boolean {
  return semver.satisfies(version, range);
}

/** The version npm would pick for `range` from `published`, or null. */
export function pick(range: string, published: readonly string[]): string | null {
  return semver.maxSatisfying([...published], range);
}

/** The comparators a range stands for, e.g. `^1.2.3` → `>=1.2.3 <2.0.0-0`. */
export function expand(range: string): string | null {
  return semver.validRange(range);
}
