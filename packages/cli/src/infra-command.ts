import { spawn } from "node:child_process";
import { once } from "node:events";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import {
  dockerAvailable,
  envVar,
  fetchJars,
  type JarService,
  PlaygroundError,
  SERVICE_NAMES,
  type ServiceName,
} from "@playground/kit";
import type { Args } from "./args.js";
import { type InfraState, runningServers } from "./infra-state.js";
import { closest } from "./suggest.js";

const JAR_SERVICES: JarService[] = ["kafka", "zookeeper", "sqs"];

function servicesFrom(names: string[], fallback: readonly ServiceName[]): ServiceName[] {
  for (const name of names) {
    if (!SERVICE_NAMES.includes(name as ServiceName)) {
      const near = closest(name, [...SERVICE_NAMES]);
      throw new PlaygroundError(
        `There is no service called \`${name}\`.${near.length ? ` Did you mean \`${near[0]}\`?` : ""} Known: ${SERVICE_NAMES.join(", ")}.`,
      );
    }
  }
  return names.length > 0 ? (names as ServiceName[]) : [...fallback];
}

async function useDocker(): Promise<boolean> {
  const mode = process.env.PLAYGROUND_INFRA ?? "auto";
  return mode !== "local" && (await dockerAvailable());
}

/** Starts one local daemon and waits for its "ready" line. */
async function startDaemon(service: ServiceName): Promise<InfraState | undefined> {
  const script = fileURLToPath(new URL("./infra-daemon.ts", import.meta.url));
  const child = spawn(process.execPath, ["--import", import.meta.resolve("tsx"), script, service], {
    detached: true,
    stdio: ["ignore", "pipe", "pipe"],
  });
  // Relay its progress while it starts; after that it must hold none of our
  // pipes, or whoever reads our output would wait for it forever.
  child.stderr!.on("data", (chunk: Buffer) => process.stderr.write(chunk));
  const lines = createInterface({ input: child.stdout! });
  const [line] = (await Promise.race([
    once(lines, "line"),
    once(child, "exit").then(() => [undefined]),
  ])) as [string | undefined];
  lines.close();
  child.stdout!.destroy();
  child.stderr!.destroy();
  child.unref();
  const reply = line
    ? (JSON.parse(line) as { ready: boolean; url?: string; error?: string })
    : undefined;
  if (!reply?.ready) throw new PlaygroundError(reply?.error ?? `${service} could not be started.`);
  return runningServers().find((s) => s.service === service);
}

export async function infraCommand(args: Args, write: (line: string) => void): Promise<number> {
  const [verb = "status", ...rest] = args.positionals;
  switch (verb) {
    case "fetch": {
      const wanted = servicesFrom(rest, JAR_SERVICES).filter((s): s is JarService =>
        JAR_SERVICES.includes(s as JarService),
      );
      for (const service of wanted) write(`${service}: ${await fetchJars(service)}`);
      return 0;
    }
    case "up": {
      const wanted = servicesFrom(rest, SERVICE_NAMES);
      if (await useDocker()) {
        const { composeUp } = await import("@playground/kit/docker");
        await composeUp(wanted);
        return 0;
      }
      const running = new Set(runningServers().map((s) => s.service));
      for (const service of wanted) {
        if (running.has(service)) {
          write(`${service} is already up`);
          continue;
        }
        const state = await startDaemon(service);
        if (state)
          write(`${service.padEnd(10)} ${state.url}   (export ${envVar(service)}=${state.url})`);
      }
      return 0;
    }
    case "down": {
      if (await useDocker()) {
        const { composeDown } = await import("@playground/kit/docker");
        await composeDown();
        return 0;
      }
      const wanted = new Set(servicesFrom(rest, SERVICE_NAMES));
      const targets = runningServers().filter((s) => wanted.has(s.service));
      await Promise.all(
        targets.map(async (s) => {
          process.kill(s.pid, "SIGTERM");
          while (runningServers().some((r) => r.pid === s.pid))
            await new Promise((r) => setTimeout(r, 50));
          write(`${s.service} stopped`);
        }),
      );
      if (targets.length === 0) write("nothing is running");
      return 0;
    }
    case "status": {
      if (await useDocker()) {
        const { composeStatus } = await import("@playground/kit/docker");
        write(await composeStatus());
        return 0;
      }
      const running = runningServers();
      if (running.length === 0)
        write("no long-lived servers are running; start some with `pnpm infra up [service…]`");
      for (const s of running) write(`${s.service.padEnd(10)} ${s.backend.padEnd(6)} ${s.url}`);
      return 0;
    }
    default:
      throw new PlaygroundError(
        `Unknown infra command \`${verb}\`: use up, down, status or fetch.`,
      );
  }
}
