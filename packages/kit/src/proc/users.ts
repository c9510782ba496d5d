import { readFileSync } from "node:fs";

export interface Account {
  name: string;
  uid: number;
  gid: number;
}

/**
 * Servers such as PostgreSQL and memcached refuse to run as root. When we
 * are root we run them as their own system account; otherwise as ourselves.
 */
export function runAs(user: string | undefined): Account | undefined {
  if (!user || process.getuid?.() !== 0) return undefined;
  const line = readFileSync("/etc/passwd", "utf8")
    .split("\n")
    .find((l) => l.startsWith(`${user}:`));
  if (!line) return undefined;
  const [, , uid, gid] = line.split(":");
  return { name: user, uid: Number(uid), gid: Number(gid) };
}

export function accountExists(user: string): boolean {
  try {
    return readFileSync("/etc/passwd", "utf8")
      .split("\n")
      .some((l) => l.startsWith(`${user}:`));
  } catch {
    return false;
  }
}
