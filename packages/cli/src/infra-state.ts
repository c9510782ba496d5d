import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { cacheDir, type ServiceName } from "@playground/kit";

export interface InfraState {
  service: ServiceName;
  url: string;
  backend: string;
  pid: number;
}

export function stateDir(): string {
  return path.join(cacheDir(), "infra");
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The long-lived local servers that are up now; stale state files are ignored. */
export function runningServers(): InfraState[] {
  if (!existsSync(stateDir())) return [];
  return readdirSync(stateDir())
    .filter((f) => f.endsWith(".json"))
    .map((f) => JSON.parse(readFileSync(path.join(stateDir(), f), "utf8")) as InfraState)
    .filter((s) => alive(s.pid));
}
