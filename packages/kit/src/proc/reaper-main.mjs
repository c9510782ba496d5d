// The reaper: a tiny sidecar that outlives its owner by a moment.
//
// The owner (a demo, a Jest worker, a test) writes one line per resource to
// our stdin: `add <id> <json>` with process groups to kill and directories
// to remove, and `del <id>` once it has cleaned up by itself. When the owner
// dies for any reason, even SIGKILL, the kernel closes the pipe, we read
// end-of-file, and we clean up whatever is still registered.
import { rmSync } from "node:fs";
import { createInterface } from "node:readline";
import { isAlive, killTree, processTree } from "./tree.mjs";

// Ctrl-C reaches the whole foreground process group. We are in a group of
// our own, but ignore it anyway: our job starts when the owner is gone.
process.on("SIGINT", () => {});
process.on("SIGTERM", () => {});

const entries = new Map();
const lines = createInterface({ input: process.stdin });

lines.on("line", (line) => {
  const [verb, id, ...rest] = line.split(" ");
  if (verb === "add") entries.set(id, JSON.parse(rest.join(" ")));
  if (verb === "del") entries.delete(id);
});

const signal = (pid, sig) => {
  try {
    process.kill(pid, sig);
  } catch {
    // gone already
  }
};

lines.on("close", async () => {
  const all = [...entries.values()];
  // Each registered pid leads a server's process tree. A server may name a
  // gentler first signal (PostgreSQL's SIGQUIT frees its shared memory); it
  // gets a moment to act on it before everything left is killed.
  const trees = all.flatMap((e) =>
    (e.groups ?? []).map((pid) => ({ pid, tree: processTree(pid), gentle: e.signal })),
  );
  for (const { pid, gentle } of trees) {
    if (!gentle) continue;
    signal(pid, "SIGCONT");
    signal(pid, gentle);
  }
  const deadline = Date.now() + 1000;
  while (trees.some((t) => t.gentle && isAlive(t.pid)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const { pid, tree } of trees) {
    killTree(pid);
    for (const member of tree) signal(member, "SIGKILL");
    signal(-pid, "SIGKILL");
  }
  for (const { dirs = [] } of all) {
    // A killed server may still be closing files for a few milliseconds.
    for (const dir of dirs)
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  }
  process.exit(0);
});
