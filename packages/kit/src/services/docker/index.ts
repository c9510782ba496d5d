import type { ReplicatedHandle, ServiceHandle, ServiceName } from "../types.js";

/*
 * The docker backend. Everything here loads testcontainers lazily: most runs
 * on a machine without Docker never need it, and loading it costs a
 * noticeable part of a second.
 */

/** A server of the given kind in its own container, on a fixed port of this machine. */
export async function startDocker(
  service: ServiceName,
  args: string[] = [],
): Promise<ServiceHandle> {
  const [{ DockerServer }, { RECIPES }] = await Promise.all([
    import("./server.js"),
    import("./recipes.js"),
  ]);
  return DockerServer.create(RECIPES[service](args));
}

/**
 * A primary and a replica in two containers on a shared network, each also
 * published on a fixed port of this machine. `sync` applies to PostgreSQL.
 */
export async function startDockerReplicated(
  service: "postgres" | "redis",
  options: { sync?: boolean } = {},
): Promise<ReplicatedHandle> {
  const { dockerPostgresReplicated, dockerRedisReplicated } = await import("./replicated.js");
  return service === "postgres"
    ? dockerPostgresReplicated({ sync: options.sync ?? false })
    : dockerRedisReplicated();
}

/** `pnpm infra up [service…]`: the compose services, healthy, with one URL line each. */
export async function composeUp(services: ServiceName[]): Promise<void> {
  const { composeUp } = await import("./compose.js");
  return composeUp(services);
}

/** `pnpm infra down`: stops and removes the playground's compose services and volumes. */
export async function composeDown(): Promise<void> {
  const { composeDown } = await import("./compose.js");
  return composeDown();
}

/** `pnpm infra status`: a plain table of the compose services. */
export async function composeStatus(): Promise<string> {
  const { composeStatus } = await import("./compose.js");
  return composeStatus();
}
