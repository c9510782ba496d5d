import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";
import { isAlive, isListening, REPO_ROOT } from "../src/index.js";

const here = path.dirname(fileURLToPath(import.meta.url));
const tsx = import.meta.resolve("tsx");

interface Held {
  pid: number;
  port: number;
  dir: string;
}

/** Spawns `args` under tsx as the leader of a new process group, like a shell does for a foreground job. */
function job(args: string[]): ChildProcess {
  return spawn(process.execPath, ["--import", tsx, ...args], {
    cwd: REPO_ROOT,
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
    // Servers of its own: no shared URLs from the Jest global setup.
    env: {
      ...Object.fromEntries(
        Object.entries(process.env).filter(([k]) => !/^PLAYGROUND_.*_URL$/.test(k)),
      ),
      PLAYGROUND_INFRA: "local",
      PLAYGROUND_QUIET: "1",
    },
  });
}

async function firstLine(child: ChildProcess): Promise<string> {
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await once(lines, "line")) as [string];
  return line;
}

/** Nothing we can subscribe to tells us another process tree has finished dying; poll, bounded. */
async function gone(held: Held[]): Promise<{ processes: number; ports: number; dirs: number }> {
  const deadline = Date.now() + 10_000;
  const count = async () => ({
    processes: held.filter((h) => isAlive(h.pid)).length,
    ports: (await Promise.all(held.map((h) => isListening(h.port)))).filter(Boolean).length,
    dirs: held.filter((h) => existsSync(h.dir)).length,
  });
  let left = await count();
  while (left.processes + left.ports + left.dirs > 0 && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    left = await count();
  }
  return left;
}

describe("cleanup", () => {
  it("when Ctrl-C interrupts a running demo, then its servers, ports and directories are gone", async () => {
    const demo = job([
      "packages/cli/src/main.ts",
      "demo",
      path.join(here, "fixtures/servers-demo.ts"),
      "--json",
    ]);
    const event = JSON.parse(await firstLine(demo)) as { detail: string };
    const held = JSON.parse(event.detail) as Held[];
    expect(held.every((h) => isAlive(h.pid) && existsSync(h.dir))).toBe(true);

    process.kill(-demo.pid!, "SIGINT");
    const [code] = await once(demo, "exit");

    expect(code).toBe(130);
    expect(await gone(held)).toEqual({ processes: 0, ports: 0, dirs: 0 });
  });

  it("when the owning process tree gets SIGINT without handling it, then the reaper cleans up", async () => {
    const owner = job([path.join(here, "fixtures/hold-servers.ts")]);
    const held = JSON.parse(await firstLine(owner)) as Held[];
    expect(held.every((h) => isAlive(h.pid))).toBe(true);

    process.kill(-owner.pid!, "SIGINT");
    await once(owner, "exit");

    expect(await gone(held)).toEqual({ processes: 0, ports: 0, dirs: 0 });
  });

  it("when the owner is killed with SIGKILL, then the reaper still cleans up", async () => {
    const owner = job([path.join(here, "fixtures/hold-servers.ts")]);
    const held = JSON.parse(await firstLine(owner)) as Held[];

    process.kill(-owner.pid!, "SIGKILL");
    await once(owner, "exit");

    expect(await gone(held)).toEqual({ processes: 0, ports: 0, dirs: 0 });
  });
});
