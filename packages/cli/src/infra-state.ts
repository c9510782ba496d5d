import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { cacheDir, isAlive, type ServiceName } from "@playground/kit";

export interface InfraState {
  service: ServiceName;
  url: string;
  backend: string;
  pid: number;
}

export function stateDir(): string {
  return path.join(cacheDir(), "infra");
}

/** The long-lived local servers that are up now; stale state files are ignored. */
export function runningServers(): InfraState[] {
  if (!existsSync(stateDir())) return [];
  return readdirSync(stateDir())
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(path.join(stateDir(), f), "utf8")) as InfraState)
    .filter((s) => isAlive(s.pid));
}
