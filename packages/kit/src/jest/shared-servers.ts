import path from "node:path";
import { readConcept } from "../catalog.js";
import { envVar } from "../services/external.js";
import { startService } from "../services/index.js";
import type { ServiceHandle, ServiceName } from "../services/types.js";

/**
 * Jest runs the global setup once per project that has tests in the run. We start one
 * shared server of each kind the project declares (its `playground.services`)
 * and hand the URL to the test workers through the environment: values put in
 * `process.env` here reach the workers, other globals do not.
 */
interface Shared {
  handles: ServiceHandle[];
  started: Set<ServiceName>;
}

const KEY = Symbol.for("playground.shared-servers");

export function sharedServers(): Shared {
  const scope = globalThis as { [KEY]?: Shared };
  scope[KEY] ??= { handles: [], started: new Set() };
  return scope[KEY];
}

export async function setUpSharedServers(rootDir: string): Promise<void> {
  const concept = readConcept(path.resolve(rootDir));
  const shared = sharedServers();
  for (const service of concept?.services ?? []) {
    // A URL the user gave us, or one we started for an earlier project, wins.
    if (process.env[envVar(service)] || shared.started.has(service)) continue;
    shared.started.add(service);
    const handle = await startService(service, { dedicated: true });
    shared.handles.push(handle);
    process.env[envVar(service)] = handle.url;
  }
}

/** Stops the shared servers. Jest calls teardown once per project; only the first call has work. */
export async function tearDownSharedServers(): Promise<void> {
  const shared = sharedServers();
  const handles = shared.handles.splice(0);
  await Promise.all(handles.map((h) => h[Symbol.asyncDispose]()));
  for (const service of shared.started) delete process.env[envVar(service)];
  shared.started.clear();
}
