import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { SERVICE_NAMES, type ServiceName, startService } from "@playground/kit";
import { stateDir } from "./infra-state.js";

/**
 * `pnpm infra up` without Docker: this process holds one long-lived local
 * server, outliving the command that started it. It writes a state file
 * once the server is ready and tells its parent on stdout; SIGTERM (from
 * `pnpm infra down`) stops the server, removes its directory and the state
 * file. If this process is killed outright, the kit's reaper cleans up.
 */
async function main(): Promise<void> {
  // Our parent stops reading once we are ready; later writes must not kill us.
  process.stdout.on("error", () => {});
  process.stderr.on("error", () => {});
  const service = process.argv[2] as ServiceName;
  if (!SERVICE_NAMES.includes(service)) throw new Error(`unknown service ${service}`);
  const handle = await startService(service, { dedicated: true });
  const file = path.join(stateDir(), `${service}.json`);
  await mkdir(stateDir(), { recursive: true });
  await writeFile(
    file,
    JSON.stringify({ service, url: handle.url, backend: handle.backend, pid: process.pid }),
  );
  let stopping = false;
  const stop = async () => {
    if (stopping) return;
    stopping = true;
    await handle[Symbol.asyncDispose]();
    await rm(file, { force: true });
    process.exit(0);
  };
  process.on("SIGTERM", stop);
  process.on("SIGINT", stop);
  process.stdout.write(`${JSON.stringify({ ready: true, url: handle.url })}\n`);
  // Keep the process alive until told to stop.
  setInterval(() => {}, 1 << 30);
}

main().catch((err: Error) => {
  process.stdout.write(`${JSON.stringify({ ready: false, error: err.message })}\n`);
  process.exit(1);
});
