import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "@jest/globals";
import { concepts, REPO_ROOT } from "@playground/kit";
import { headings, proofLinks, questionIndex, readReadme, transcriptOf } from "../src/docs.js";

const all = concepts();
const SECTIONS = [
  "Answer",
  "What the usual answer misses",
  "See it",
  "Read it",
  "Proof",
  "In production",
];

describe("docs/questions.md", () => {
  it("when package metadata changes, then docs/questions.md is regenerated to match (run `pnpm run docs`)", () => {
    const committed = readFileSync(path.join(REPO_ROOT, "docs/questions.md"), "utf8");
    expect(committed).toBe(questionIndex(all, REPO_ROOT));
  });

  it("when the index is built, then every question from 1 to 65 appears exactly once", () => {
    const rows = questionIndex(all, REPO_ROOT)
      .split("\n")
      .map((l) => /^\| (\d+) \|/.exec(l)?.[1])
      .filter((n): n is string => n !== undefined)
      .map(Number);
    expect(rows).toEqual(Array.from({ length: 65 }, (_, i) => i + 1));
  });
});

describe.each(all.map((c) => [c.slug, c] as const))("README of %s", (_slug, concept) => {
  const readme = readReadme(concept);

  it("when read, then it has the design's sections in order", () => {
    const found = headings(readme);
    expect(found[0]).toMatch(/^Questions?$/);
    expect(found.slice(1)).toEqual(SECTIONS);
  });

  it("when its Proof links a test, then that test file exists and contains that exact test name", () => {
    const links = proofLinks(readme);
    expect(links.length).toBeGreaterThan(0);
    for (const { name, file } of links) {
      const testFile = path.join(concept.dir, file);
      expect(existsSync(testFile)).toBe(true);
      expect(readFileSync(testFile, "utf8")).toContain(name);
    }
  });

  it("when rendered, then See it holds a transcript generated from a real run", () => {
    expect(transcriptOf(readme)?.length ?? 0).toBeGreaterThan(0);
  });
});
