import { spawnSync } from "node:child_process";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { concepts, REPO_ROOT } from "@playground/kit";
import type { Args } from "./args.js";
import { questionIndex, withTranscript } from "./docs.js";

/**
 * `pnpm run docs [slug…]`: regenerates docs/questions.md and the README
 * transcripts. Each transcript is the stdout of a real `pnpm demo <slug>`
 * run, without colour, so no output in a README is ever typed by hand.
 */
export async function docsCommand(args: Args, write: (line: string) => void): Promise<number> {
  const all = concepts();
  writeFileSync(path.join(REPO_ROOT, "docs/questions.md"), questionIndex(all, REPO_ROOT));
  write("docs/questions.md");
  let failed = 0;
  const only = args.positionals;
  for (const concept of all.filter((c) => only.length === 0 || only.includes(c.slug))) {
    const command = `pnpm demo ${concept.slug}`;
    write(`${command} …`);
    const main = path.join(REPO_ROOT, "packages/cli/src/main.ts");
    const run = spawnSync(
      process.execPath,
      ["--import", import.meta.resolve("tsx"), main, "demo", concept.slug],
      {
        cwd: REPO_ROOT,
        encoding: "utf8",
        env: { ...process.env, NO_COLOR: "1", PLAYGROUND_QUIET: "1" },
      },
    );
    if (run.status !== 0) {
      write(`${command} failed (exit ${run.status}):\n${run.stderr}`);
      failed++;
      continue;
    }
    const file = path.join(concept.dir, "README.md");
    writeFileSync(file, withTranscript(readFileSync(file, "utf8"), run.stdout, command));
  }
  return failed === 0 ? 0 : 1;
}
