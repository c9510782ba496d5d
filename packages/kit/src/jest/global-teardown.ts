import { envVar } from "../services/external.js";
import { sharedServers } from "./global-setup.js";

/** Stops the shared servers. Jest calls this once per project; only the first call has work. */
export default async function globalTeardown(): Promise<void> {
  const shared = sharedServers();
  const handles = shared.handles.splice(0);
  await Promise.all(handles.map((h) => h[Symbol.asyncDispose]()));
  for (const service of shared.started) delete process.env[envVar(service)];
  shared.started.clear();
}
