import { tsImport } from "tsx/esm/api";

export default async function globalTeardown() {
  const { tearDownSharedServers } = await tsImport("./shared-servers.ts", import.meta.url);
  await tearDownSharedServers();
}
