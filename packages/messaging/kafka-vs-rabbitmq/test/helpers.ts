import { randomUUID } from "node:crypto";
import { type ServiceHandle, services } from "@playground/kit";

/** A name no other test uses: topics, groups, exchanges and queues are per test. */
export const unique = (prefix: string): string => `${prefix}-${randomUUID().slice(0, 8)}`;

const held = new Map<"rabbitmq" | "kafka" | "sqs", Promise<ServiceHandle>>();

/**
 * The server of that kind for this test file: the shared one the Jest global
 * setup started, or, when there is none, one of our own, started once per file.
 */
export function server(kind: "rabbitmq" | "kafka" | "sqs"): Promise<ServiceHandle> {
  let handle = held.get(kind);
  if (!handle) {
    handle = services[kind]();
    held.set(kind, handle);
  }
  return handle;
}

/** Disposes what `server` handed out: a no-op for shared servers, a stop for our own. */
export async function releaseServers(): Promise<void> {
  const handles = [...held.values()];
  held.clear();
  for (const handle of handles) await (await handle)[Symbol.asyncDispose]();
}
