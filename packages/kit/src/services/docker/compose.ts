import { spawn } from "node:child_process";
import path from "node:path";
import { REPO_ROOT } from "../../catalog.js";
import { PlaygroundError } from "../../errors.js";
import { envVar } from "../external.js";
import { IMAGES } from "../images.js";
import { SERVICE_NAMES, type ServiceName } from "../types.js";
import { serviceUrl } from "./urls.js";

/**
 * `pnpm infra up|down|status` on a machine with Docker: long-lived servers
 * from docker-compose.yml at the repository root, one profile per service,
 * with the same pinned images as the docker backend (see images.ts).
 */
export const COMPOSE_FILE = path.join(REPO_ROOT, "docker-compose.yml");

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** `docker compose -f docker-compose.yml --profile … <args>`; output is shown live unless captured. */
function compose(args: string[], profiles: readonly ServiceName[], capture: boolean): Promise<Run> {
  const argv = [
    "compose",
    "-f",
    COMPOSE_FILE,
    ...profiles.flatMap((p) => ["--profile", p]),
    ...args,
  ];
  return new Promise((resolve, reject) => {
    const child = spawn("docker", argv, {
      stdio: ["ignore", capture ? "pipe" : "inherit", capture ? "pipe" : "inherit"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout?.on("data", (chunk: Buffer) => {
      stdout += chunk.toString("utf8");
    });
    child.stderr?.on("data", (chunk: Buffer) => {
      stderr += chunk.toString("utf8");
    });
    child.once("error", (err: NodeJS.ErrnoException) => {
      reject(
        err.code === "ENOENT"
          ? new PlaygroundError(
              "`docker` is not on PATH: install Docker with the Compose plugin, or set PLAYGROUND_INFRA=local.",
            )
          : err,
      );
    });
    child.once("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
  });
}

function failed(verb: string, run: Run): PlaygroundError {
  const detail = run.stderr.trim().split("\n").slice(-5).join("\n");
  const hint = /is not a docker command|unknown command|unknown shorthand flag: 'f'/i.test(
    run.stderr,
  )
    ? "install the Docker Compose v2 plugin (`docker compose version` must work)"
    : "check that the Docker daemon is running (`docker info`), or set PLAYGROUND_INFRA=local";
  return new PlaygroundError(
    `\`docker compose ${verb}\` failed (exit ${run.code})${detail ? `:\n${detail}\n` : ": "}${hint}.`,
  );
}

/** The host address and port that `docker compose port` reports, e.g. `127.0.0.1:5432`. */
function parseHostPort(text: string): { host: string; port: number } | undefined {
  const match = /^\[?([^\]]*?)\]?:(\d+)$/.exec(text.trim().split("\n")[0] ?? "");
  if (!match) return undefined;
  const host = match[1] === "0.0.0.0" || match[1] === "::" || !match[1] ? "127.0.0.1" : match[1];
  return { host, port: Number(match[2]) };
}

/**
 * Starts the given services (each is a compose profile), waits until their
 * health checks pass, and prints one line per service with its URL and the
 * variable that points tests at it.
 */
export async function composeUp(services: ServiceName[]): Promise<void> {
  const wanted = services.length > 0 ? services : [...SERVICE_NAMES];
  const up = await compose(["up", "--detach", "--wait", ...wanted], wanted, false);
  if (up.code !== 0) throw failed("up", up);
  for (const service of wanted) {
    const port = await compose(["port", service, String(IMAGES[service].port)], wanted, true);
    const published = port.code === 0 ? parseHostPort(port.stdout) : undefined;
    if (!published) {
      process.stdout.write(`${service.padEnd(10)} up, but its port is not published\n`);
      continue;
    }
    const url = serviceUrl(service, published.host, published.port);
    process.stdout.write(`${service.padEnd(10)} ${url}   (export ${envVar(service)}=${url})\n`);
  }
}

/** Stops and removes every compose service of the playground, with its volumes. */
export async function composeDown(): Promise<void> {
  const down = await compose(["down", "--volumes", "--remove-orphans"], SERVICE_NAMES, false);
  if (down.code !== 0) throw failed("down", down);
}

/** One container as `docker compose ps --format json` describes it. */
interface PsEntry {
  Service?: string;
  State?: string;
  Health?: string;
  Publishers?: { URL?: string; TargetPort?: number; PublishedPort?: number }[] | null;
}

/** Older Compose prints one JSON array; newer prints one object per line. */
function parsePs(stdout: string): PsEntry[] {
  const text = stdout.trim();
  if (!text) return [];
  if (text.startsWith("[")) return JSON.parse(text) as PsEntry[];
  return text
    .split("\n")
    .filter((line) => line.trim())
    .map((line) => JSON.parse(line) as PsEntry);
}

/** A plain table of the playground's compose services: state, health and URL. */
export async function composeStatus(): Promise<string> {
  const ps = await compose(["ps", "--all", "--format", "json"], SERVICE_NAMES, true);
  if (ps.code !== 0) throw failed("ps", ps);
  const entries = parsePs(ps.stdout).filter((e): e is PsEntry & { Service: ServiceName } =>
    SERVICE_NAMES.includes(e.Service as ServiceName),
  );
  if (entries.length === 0) {
    return "no compose services are running; start some with `pnpm infra up [service…]`";
  }
  return entries
    .map((e) => {
      const target = IMAGES[e.Service].port;
      const publisher = (e.Publishers ?? []).find(
        (p) => p.TargetPort === target && p.PublishedPort,
      );
      const host = !publisher?.URL || publisher.URL === "0.0.0.0" ? "127.0.0.1" : publisher.URL;
      const url = publisher?.PublishedPort
        ? serviceUrl(e.Service, host, publisher.PublishedPort)
        : "";
      const state = [e.State, e.Health].filter(Boolean).join(", ");
      return `${e.Service.padEnd(10)} ${state.padEnd(18)} ${url}`.trimEnd();
    })
    .join("\n");
}
