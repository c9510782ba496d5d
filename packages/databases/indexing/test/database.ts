import { ScratchDatabase, services } from "@playground/kit";

/**
 * A database of the test file's own. Parallel query is off in it: with
 * one process per scan the plans stay simple, and on a shared 2-core
 * machine the timings we compare are steadier.
 */
export async function testDatabase(prefix: string): Promise<ScratchDatabase> {
  const server = await services.postgres();
  return ScratchDatabase.create(server.url, prefix, { max_parallel_workers_per_gather: 0 });
}
