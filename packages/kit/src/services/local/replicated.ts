import { ChaosProxy } from "../../chaos/proxy.js";
import {
  PG_REPLICA_NAME,
  PG_STANDBY_SETTINGS,
  waitForPostgresStreaming,
  waitForRedisReplication,
} from "../replication-checks.js";
import type { ReplicatedHandle } from "../types.js";
import { LocalServer } from "./local-server.js";
import { postgresRecipe } from "./postgres.js";
import { redisRecipe } from "./redis.js";

class Pair implements ReplicatedHandle {
  constructor(
    readonly primary: LocalServer,
    readonly replica: LocalServer,
    readonly link: ChaosProxy,
  ) {}

  async [Symbol.asyncDispose](): Promise<void> {
    await this.link.close();
    await Promise.all([this.replica[Symbol.asyncDispose](), this.primary[Symbol.asyncDispose]()]);
  }
}

/**
 * The replica reaches its primary only through a chaos proxy, so a test can
 * partition or slow the replication link without touching client traffic.
 */
function linkTo(primary: LocalServer): Promise<ChaosProxy> {
  return ChaosProxy.start({ host: primary.host, port: primary.port });
}

/**
 * Streaming replication: `pg_basebackup -R` clones the primary and writes
 * `standby.signal` plus `primary_conninfo`. With `sync`, the primary names
 * the standby in `synchronous_standby_names`, so a commit waits for it.
 */
export async function localPostgresReplicated({
  sync,
}: {
  sync: boolean;
}): Promise<ReplicatedHandle> {
  const primary = await LocalServer.create(
    postgresRecipe({
      settings: sync ? { synchronous_standby_names: `'FIRST 1 (${PG_REPLICA_NAME})'` } : {},
    }),
    "postgres primary",
  );
  const cleanup: AsyncDisposable[] = [primary];
  try {
    const link = await linkTo(primary);
    cleanup.unshift(link);
    // `pg_basebackup -R` records the address it cloned from as the
    // replica's `primary_conninfo`: the proxy's, so WAL streams through it.
    const replica = await LocalServer.create(
      postgresRecipe({
        baseBackupFrom: { port: link.port, applicationName: PG_REPLICA_NAME },
        // The clone copies the primary's settings; once promoted, the replica
        // must not wait for a standby of its own.
        settings: { ...PG_STANDBY_SETTINGS, synchronous_standby_names: "''" },
      }),
      "postgres replica",
    );
    cleanup.unshift(replica);
    await waitForPostgresStreaming({ primary, replica, sync, timeoutMs: 20_000 });
    return new Pair(primary, replica, link);
  } catch (err) {
    for (const resource of cleanup) await resource[Symbol.asyncDispose]();
    throw err;
  }
}

/**
 * A Redis replica started with `--replicaof` the link proxy, ready once a
 * write on the primary is acknowledged by it (`WAIT 1`).
 */
export async function localRedisReplicated(): Promise<ReplicatedHandle> {
  const primary = await LocalServer.create(redisRecipe(), "redis primary");
  const cleanup: AsyncDisposable[] = [primary];
  try {
    const link = await linkTo(primary);
    cleanup.unshift(link);
    const replica = await LocalServer.create(
      redisRecipe({ replicaOf: link.port }),
      "redis replica",
    );
    cleanup.unshift(replica);
    await waitForRedisReplication({ primary, replica, timeoutMs: 20_000 });
    return new Pair(primary, replica, link);
  } catch (err) {
    for (const resource of cleanup) await resource[Symbol.asyncDispose]();
    throw err;
  }
}
