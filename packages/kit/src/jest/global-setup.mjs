// Jest loads global setup outside its own module system, where our
// TypeScript ESM would not load; tsx's scoped loader imports it natively.
import { tsImport } from "tsx/esm/api";

export default async function globalSetup(_globalConfig, projectConfig) {
  const { setUpSharedServers } = await tsImport("./shared-servers.ts", import.meta.url);
  await setUpSharedServers(projectConfig.rootDir);
}
