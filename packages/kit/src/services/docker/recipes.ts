import { randomBytes } from "node:crypto";
import type { ServiceName } from "../types.js";
import {
  type DockerRecipe,
  forLog,
  httpProbe,
  ProbeWaitStrategy,
  STARTUP_TIMEOUT_MS,
  tcpProbe,
} from "./server.js";
import { serviceUrl } from "./urls.js";

const url =
  (service: ServiceName): DockerRecipe["url"] =>
  (ctx) =>
    serviceUrl(service, ctx.host, ctx.port);

export interface PostgresOptions {
  /** Extra `-c name=value` settings; values go to the server as they are, unquoted. */
  settings?: Record<string, string | number>;
  /** Start from `pg_basebackup -R` of the primary at this network alias instead of initdb. */
  baseBackupFrom?: { host: string; port?: number; applicationName: string };
}

/**
 * Replication connections do not match pg_hba's `all` database, and the
 * image only adds `host all all all <method>`. This init script runs once,
 * on the primary's first start, before the server starts for real.
 */
const REPLICATION_HBA = `#!/bin/sh
echo "host replication all all trust" >> "$PGDATA/pg_hba.conf"
`;

/**
 * The replica's entrypoint: on the first start, clone the primary with
 * `pg_basebackup -R` (which writes standby.signal and primary_conninfo);
 * on every start, hand over to the image's own entrypoint, which skips
 * initdb because the data directory is no longer empty. It runs as the
 * postgres user, so the clone has the right owner.
 */
function replicaEntrypoint(from: { host: string; port?: number; applicationName: string }): string {
  const conninfo = `host=${from.host} port=${from.port ?? 5432} user=postgres application_name=${from.applicationName}`;
  return `set -e
if [ ! -s "$PGDATA/PG_VERSION" ]; then
  chmod 700 "$PGDATA"
  pg_basebackup -d "${conninfo}" -D "$PGDATA" -R -X stream -c fast
fi
exec docker-entrypoint.sh "$@"
`;
}

/**
 * PostgreSQL with trust authentication, like the local backend: the URL
 * carries no password. On its first start the image runs initdb and a
 * temporary server, so "ready to accept connections" appears twice.
 */
export function postgresRecipe(options: PostgresOptions = {}): DockerRecipe {
  const settings: Record<string, string | number> = {
    fsync: "off",
    full_page_writes: "off",
    wal_level: "replica",
    max_wal_senders: 5,
    max_connections: 200,
    ...options.settings,
  };
  const command = [
    "postgres",
    ...Object.entries(settings).flatMap(([name, value]) => ["-c", `${name}=${value}`]),
  ];
  const from = options.baseBackupFrom;
  return {
    service: "postgres",
    configure(container) {
      const configured = container
        .withEnvironment({ POSTGRES_HOST_AUTH_METHOD: "trust" })
        .withSharedMemorySize(256 * 1024 * 1024)
        .withCommand(command);
      if (!from) {
        return configured.withCopyContentToContainer([
          {
            content: REPLICATION_HBA,
            target: "/docker-entrypoint-initdb.d/10-replication-hba.sh",
            mode: 0o755,
          },
        ]);
      }
      return configured
        .withUser("postgres")
        .withEntrypoint(["sh", "-c", replicaEntrypoint(from), "replica-entrypoint"]);
    },
    ready(_ctx, first) {
      if (first && !from) return forLog(/database system is ready to accept connections/, 2);
      return forLog(/database system is ready to accept (read-only )?connections/);
    },
    // The image's stop signal is SIGINT, PostgreSQL's "fast" shutdown.
    stopTimeoutS: 10,
    url: url("postgres"),
  };
}

export interface RedisOptions {
  /** Replicate from the primary at this network alias. */
  replicaOf?: string;
  /** The primary's port as the replica reaches it (6379 on the container network). */
  replicaOfPort?: number;
  /** Extra `--flag value` pairs. */
  args?: string[];
}

/** Redis 7.0 without persistence, like the local backend. */
export function redisRecipe(options: RedisOptions = {}): DockerRecipe {
  return {
    service: "redis",
    configure(container) {
      return container.withCommand([
        "redis-server",
        "--save",
        "",
        "--appendonly",
        "no",
        // Without this a replica's first full sync waits 5 s for more replicas to join.
        "--repl-diskless-sync-delay",
        "0",
        ...(options.replicaOf
          ? ["--replicaof", options.replicaOf, String(options.replicaOfPort ?? 6379)]
          : []),
        ...(options.args ?? []),
      ]);
    },
    ready: () => forLog(/Ready to accept connections/),
    url: url("redis"),
  };
}

/** RabbitMQ 3.10 without plugins; the image lets `guest` log in from outside the container. */
export function rabbitmqRecipe(): DockerRecipe {
  return {
    service: "rabbitmq",
    configure: (container) => container,
    ready: () => forLog(/Server startup complete/),
    stopTimeoutS: 20,
    url: url("rabbitmq"),
  };
}

/**
 * A single-node Kafka 3.9 in KRaft mode, configured through the image's
 * `KAFKA_*` variables (every one the image would otherwise default). Three
 * listeners: PLAINTEXT on 9092, published on the fixed host port and
 * advertised as that host port so kafkajs on the host can follow the
 * metadata; BROKER and CONTROLLER stay inside the container.
 */
export function kafkaRecipe(): DockerRecipe {
  // A cluster id is 16 random bytes in base64url, as `kafka-storage random-uuid` prints.
  const clusterId = randomBytes(16).toString("base64url");
  return {
    service: "kafka",
    configure(container, ctx) {
      return container.withEnvironment({
        CLUSTER_ID: clusterId,
        KAFKA_NODE_ID: "1",
        KAFKA_PROCESS_ROLES: "broker,controller",
        KAFKA_LISTENERS:
          "PLAINTEXT://0.0.0.0:9092,BROKER://localhost:29092,CONTROLLER://localhost:29093",
        KAFKA_ADVERTISED_LISTENERS: `PLAINTEXT://${ctx.host}:${ctx.port},BROKER://localhost:29092`,
        KAFKA_LISTENER_SECURITY_PROTOCOL_MAP:
          "PLAINTEXT:PLAINTEXT,BROKER:PLAINTEXT,CONTROLLER:PLAINTEXT",
        KAFKA_INTER_BROKER_LISTENER_NAME: "BROKER",
        KAFKA_CONTROLLER_LISTENER_NAMES: "CONTROLLER",
        KAFKA_CONTROLLER_QUORUM_VOTERS: "1@localhost:29093",
        KAFKA_LOG_DIRS: "/var/lib/kafka/data",
        KAFKA_NUM_PARTITIONS: "1",
        KAFKA_OFFSETS_TOPIC_REPLICATION_FACTOR: "1",
        KAFKA_OFFSETS_TOPIC_NUM_PARTITIONS: "5",
        KAFKA_TRANSACTION_STATE_LOG_REPLICATION_FACTOR: "1",
        KAFKA_TRANSACTION_STATE_LOG_MIN_ISR: "1",
        KAFKA_GROUP_INITIAL_REBALANCE_DELAY_MS: "0",
      });
    },
    ready: () => forLog(/Kafka Server started/),
    stopTimeoutS: 30,
    url: url("kafka"),
  };
}

/** memcached prints nothing when ready: ask it for its version. */
export function memcachedRecipe(): DockerRecipe {
  return {
    service: "memcached",
    configure: (container) => container.withCommand(["memcached", "-m", "64"]),
    ready: (ctx) =>
      new ProbeWaitStrategy("memcached", () =>
        tcpProbe(ctx.host, ctx.port, "version\r\n", /^VERSION /),
      ).withStartupTimeout(STARTUP_TIMEOUT_MS),
    url: url("memcached"),
  };
}

/** MariaDB with a password-less root, like the local backend's. */
export function mariadbRecipe(): DockerRecipe {
  return {
    service: "mariadb",
    configure: (container) => container.withEnvironment({ MARIADB_ALLOW_EMPTY_ROOT_PASSWORD: "1" }),
    // The entrypoint runs a temporary server for its init steps first, so
    // on the first start the real one is the second to say it is ready.
    ready: (_ctx, first) => forLog(/ready for connections/, first ? 2 : 1),
    url: url("mariadb"),
  };
}

/** A standalone ZooKeeper with every four-letter word enabled, ready when `ruok` gets `imok`. */
export function zookeeperRecipe(): DockerRecipe {
  return {
    service: "zookeeper",
    configure: (container) =>
      container.withEnvironment({
        ZOO_4LW_COMMANDS_WHITELIST: "*",
        ZOO_ADMINSERVER_ENABLED: "false",
      }),
    ready: (ctx) =>
      new ProbeWaitStrategy("zookeeper", () =>
        tcpProbe(ctx.host, ctx.port, "ruok", /imok/),
      ).withStartupTimeout(STARTUP_TIMEOUT_MS),
    stopTimeoutS: 10,
    url: url("zookeeper"),
  };
}

/**
 * ElasticMQ puts its own address into every queue URL, and the AWS SDK
 * sends requests to the queue URL, so the node address must be the
 * published host port, not the container's 9324. The image reads
 * /opt/elasticmq.conf.
 */
export function sqsRecipe(): DockerRecipe {
  return {
    service: "sqs",
    configure: (container, ctx) =>
      container.withCopyContentToContainer([
        {
          content: `include classpath("application.conf")
node-address { protocol = http, host = "${ctx.host}", port = ${ctx.port}, context-path = "" }
rest-sqs { enabled = true, bind-port = 9324, bind-hostname = "0.0.0.0", sqs-limits = strict }
rest-stats { enabled = false }
generate-node-address = false
`,
          target: "/opt/elasticmq.conf",
          mode: 0o644,
        },
      ]),
    ready: (ctx) =>
      new ProbeWaitStrategy("elasticmq", () =>
        httpProbe(serviceUrl("sqs", ctx.host, ctx.port)),
      ).withStartupTimeout(STARTUP_TIMEOUT_MS),
    url: url("sqs"),
  };
}

/** The recipe for a plain, unreplicated server of each kind. */
export const RECIPES: Record<ServiceName, (args: string[]) => DockerRecipe> = {
  postgres: () => postgresRecipe(),
  redis: (args) => redisRecipe({ args }),
  rabbitmq: rabbitmqRecipe,
  kafka: kafkaRecipe,
  memcached: memcachedRecipe,
  zookeeper: zookeeperRecipe,
  sqs: sqsRecipe,
  mariadb: mariadbRecipe,
};
