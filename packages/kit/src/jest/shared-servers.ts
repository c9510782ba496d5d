import { concepts } from "../catalog.js";
import { envVar } from "../services/external.js";
import { startService } from "../services/index.js";
import type { ServiceHandle, ServiceName } from "../services/types.js";

/**
 * Jest 30 runs a global setup file once, however many projects share it. So
 * we start one shared server of each kind that any selected project declares
 * (its `playground.services`; every project unless `--selectProjects` names
 * some) and hand the URLs to the test workers through the environment:
 * values put in `process.env` here reach the workers, other globals do not.
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

export async function setUpSharedServers(selected: string[] | undefined): Promise<void> {
  const chosen = concepts().filter(
    (c) => !selected || selected.length === 0 || selected.includes(c.slug),
  );
  const wanted = [...new Set(chosen.flatMap((c) => c.services))];
  const shared = sharedServers();
  for (const service of wanted) {
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
