import type { ServiceHandle } from "@playground/kit";
import { services } from "@playground/kit";
import type { Placement } from "../src/placement.js";
import { ShardRouter } from "../src/sharding.js";

/** `count` PostgreSQL servers of our own, started side by side, and a router over them. */
export async function startShards(
  count: number,
  placement: Placement,
): Promise<{ servers: ServiceHandle[]; router: ShardRouter }> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => services.postgres({ dedicated: true })),
  );
  const router = new ShardRouter(placement);
  for (const [i, server] of servers.entries())
    await router.addShard(placement.shards[i]!, server.url);
  return { servers, router };
}

export async function stopShards(
  shards: { servers: ServiceHandle[]; router: ShardRouter } | undefined,
) {
  if (!shards) return;
  await shards.router.close();
  await Promise.all(shards.servers.map((server) => server[Symbol.asyncDispose]()));
}
