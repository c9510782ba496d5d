// Jest loads global setup outside its own module system, where our
// TypeScript ESM would not load; tsx's scoped loader imports it natively.
import { tsImport } from "tsx/esm/api";

// Jest 30 does not pass `--selectProjects` on to global setup, so we read
// it from the command line of the Jest process we run in.
function selectedProjects() {
  const at = process.argv.indexOf("--selectProjects");
  if (at < 0) return undefined;
  const names = [];
  for (const arg of process.argv.slice(at + 1)) {
    if (arg.startsWith("-")) break;
    names.push(arg);
  }
  return names;
}

export default async function globalSetup() {
  const { setUpSharedServers } = await tsImport("./shared-servers.ts", import.meta.url);
  await setUpSharedServers(selectedProjects());
}
