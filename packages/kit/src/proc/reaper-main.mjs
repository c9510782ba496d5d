// The reaper: a tiny sidecar that outlives its owner by a moment.
//
// The owner (a demo, a Jest worker, a test) writes one line per resource to
// our stdin: `add <id> <json>` with process groups to kill and directories
// to remove, and `del <id>` once it has cleaned up by itself. When the owner
// dies for any reason, even SIGKILL, the kernel closes the pipe, we read
// end-of-file, and we clean up whatever is still registered.
import { rmSync } from "node:fs";
import { createInterface } from "node:readline";

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

const signal = (pgid, sig) => {
  try {
    process.kill(-pgid, sig);
    return true;
  } catch {
    return false; // the group is empty
  }
};

lines.on("close", async () => {
  const all = [...entries.values()];
  // A server may name a gentler first signal (PostgreSQL's SIGQUIT frees its
  // shared memory); it gets a moment to act on it before SIGKILL.
  const gentle = all
    .filter((e) => e.signal)
    .flatMap((e) => (e.groups ?? []).map((g) => [g, e.signal]));
  for (const [pgid, sig] of gentle) signal(pgid, "SIGCONT") && signal(pgid, sig);
  const deadline = Date.now() + 1000;
  while (gentle.some(([pgid]) => signal(pgid, 0)) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 20));
  }
  for (const { groups = [] } of all) for (const pgid of groups) signal(pgid, "SIGKILL");
  for (const { dirs = [] } of all) {
    // A killed server may still be closing files for a few milliseconds.
    for (const dir of dirs)
      rmSync(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 50 });
  }
  process.exit(0);
});
