import { Network, type StartedNetwork, TestContainers } from "testcontainers";
import { ChaosProxy } from "../../chaos/proxy.js";
import { ServiceStartError } from "../../errors.js";
import {
  PG_REPLICA_NAME,
  PG_STANDBY_SETTINGS,
  waitForPostgresStreaming,
  waitForRedisReplication,
} from "../replication-checks.js";
import type { ReplicatedHandle } from "../types.js";
import { postgresRecipe, redisRecipe } from "./recipes.js";
import { DockerServer, runtimeClient } from "./server.js";

/** The primary's and the replica's names on their shared network. */
const PG_PRIMARY_ALIAS = "pg-primary";
const PG_REPLICA_ALIAS = "pg-replica";
const REDIS_PRIMARY_ALIAS = "redis-primary";
const REDIS_REPLICA_ALIAS = "redis-replica";

class Pair implements ReplicatedHandle {
  constructor(
    readonly primary: DockerServer,
    readonly replica: DockerServer,
    private readonly network: StartedNetwork,
    readonly link: ChaosProxy,
  ) {}

  async [Symbol.asyncDispose](): Promise<void> {
    await this.link.close();
    await Promise.all([this.replica[Symbol.asyncDispose](), this.primary[Symbol.asyncDispose]()]);
    await this.network.stop();
  }
}

/**
 * The replication link goes through a chaos proxy on this machine, as on the
 * local backend: the replica container reaches it as
 * `host.testcontainers.internal`, which testcontainers tunnels to our
 * loopback (`exposeHostPorts` must run before the replica starts).
 */
async function linkTo(primary: DockerServer): Promise<ChaosProxy> {
  const link = await ChaosProxy.start({ host: primary.host, port: primary.port });
  try {
    await TestContainers.exposeHostPorts(link.port);
  } catch (err) {
    await link.close();
    throw err;
  }
  return link;
}

const HOST_FROM_CONTAINER = "host.testcontainers.internal";

/** A user-defined network, so the replica reaches the primary by name. */
async function startNetwork(): Promise<StartedNetwork> {
  await runtimeClient();
  try {
    return await new Network().start();
  } catch (err) {
    throw new ServiceStartError(
      `Docker could not create a network for the replicas (${err instanceof Error ? err.message : err}): check \`docker network ls\` for leftovers, or set PLAYGROUND_INFRA=local.`,
    );
  }
}

/** Runs `build` with a network; on failure disposes what it had started, then the network. */
async function withNetwork(
  build: (network: StartedNetwork, started: DockerServer[], links: ChaosProxy[]) => Promise<Pair>,
): Promise<Pair> {
  const network = await startNetwork();
  const started: DockerServer[] = [];
  const links: ChaosProxy[] = [];
  try {
    return await build(network, started, links);
  } catch (err) {
    await Promise.allSettled(links.map((l) => l.close()));
    await Promise.allSettled(started.map((s) => s[Symbol.asyncDispose]()));
    await network.stop().catch(() => {});
    throw err;
  }
}

/**
 * A PostgreSQL primary and a streaming replica on a shared network. The
 * replica clones the primary with `pg_basebackup -R` under the application
 * name `replica1`; with `sync`, the primary names it in
 * `synchronous_standby_names`, so a commit waits for it. Resolves once the
 * primary's pg_stat_replication shows the replica streaming (and sync).
 */
export function dockerPostgresReplicated({ sync }: { sync: boolean }): Promise<ReplicatedHandle> {
  return withNetwork(async (network, started, links) => {
    const primary = await DockerServer.create(
      postgresRecipe({
        settings: sync ? { synchronous_standby_names: `FIRST 1 (${PG_REPLICA_NAME})` } : {},
      }),
      { label: "postgres primary", network: { network, alias: PG_PRIMARY_ALIAS } },
    );
    started.push(primary);
    const link = await linkTo(primary);
    links.push(link);
    const replica = await DockerServer.create(
      postgresRecipe({
        baseBackupFrom: {
          host: HOST_FROM_CONTAINER,
          port: link.port,
          applicationName: PG_REPLICA_NAME,
        },
        // Once promoted, the replica must not wait for a standby of its own.
        // Settings reach the server unquoted, after `-c`: an empty value is
        // the empty list, where `''` would be a syntax error that stops it.
        settings: { ...PG_STANDBY_SETTINGS, synchronous_standby_names: "" },
      }),
      { label: "postgres replica", network: { network, alias: PG_REPLICA_ALIAS } },
    );
    started.push(replica);
    await waitForPostgresStreaming({ primary, replica, sync, timeoutMs: 60_000 });
    return new Pair(primary, replica, network, link);
  });
}

/**
 * A Redis primary and a `--replicaof` replica on a shared network, ready
 * once a write on the primary is acknowledged by the replica (`WAIT 1`).
 */
export function dockerRedisReplicated(): Promise<ReplicatedHandle> {
  return withNetwork(async (network, started, links) => {
    const primary = await DockerServer.create(redisRecipe(), {
      label: "redis primary",
      network: { network, alias: REDIS_PRIMARY_ALIAS },
    });
    started.push(primary);
    const link = await linkTo(primary);
    links.push(link);
    const replica = await DockerServer.create(
      redisRecipe({ replicaOf: HOST_FROM_CONTAINER, replicaOfPort: link.port }),
      {
        label: "redis replica",
        network: { network, alias: REDIS_REPLICA_ALIAS },
      },
    );
    started.push(replica);
    await waitForRedisReplication({ primary, replica, timeoutMs: 60_000 });
    return new Pair(primary, replica, network, link);
  });
}
