import { existsSync } from "node:fs";
import { homedir } from "node:os";
import path from "node:path";
import { PlaygroundError } from "../errors.js";

export type InfraMode = "auto" | "docker" | "local";

export function infraMode(): InfraMode {
  const mode = process.env.PLAYGROUND_INFRA ?? "auto";
  if (mode === "auto" || mode === "docker" || mode === "local") return mode;
  throw new PlaygroundError(
    `PLAYGROUND_INFRA=${mode} is not a backend: use auto, docker or local.`,
  );
}

/**
 * The places testcontainers looks for a container runtime. If none exists we
 * know the answer without loading testcontainers at all, which saves a
 * noticeable part of a second on every demo start.
 */
function runtimeMightExist(): boolean {
  if (process.env.DOCKER_HOST) return true;
  const uid = process.getuid?.() ?? 0;
  return [
    "/var/run/docker.sock",
    path.join(homedir(), ".testcontainers.properties"),
    path.join(homedir(), ".docker/run/docker.sock"),
    `/run/user/${uid}/docker.sock`,
    `/run/user/${uid}/podman/podman.sock`,
    path.join(homedir(), ".colima/default/docker.sock"),
  ].some((p) => existsSync(p));
}

let cached: Promise<boolean> | undefined;

/** Whether a container runtime answers. Never throws. */
export function dockerAvailable(): Promise<boolean> {
  cached ??= (async () => {
    if (!runtimeMightExist()) return false;
    try {
      const { getContainerRuntimeClient } = await import("testcontainers");
      await getContainerRuntimeClient();
      return true;
    } catch {
      // "Could not find a working container runtime strategy"
      return false;
    }
  })();
  return cached;
}

/** The backend that will start servers: docker if asked or found, local otherwise. */
export async function chooseBackend(): Promise<"docker" | "local"> {
  const mode = infraMode();
  if (mode === "local") return "local";
  if (await dockerAvailable()) return "docker";
  if (mode === "docker") {
    throw new PlaygroundError(
      "PLAYGROUND_INFRA=docker, but no container runtime answers: start Docker, or unset PLAYGROUND_INFRA to use local servers.",
    );
  }
  return "local";
}
