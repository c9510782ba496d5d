import { chooseBackend } from "./backend.js";
import { startDocker, startDockerReplicated } from "./docker/index.js";
import { ExternalServer, envVar } from "./external.js";
import { kafkaRecipe, sqsRecipe, zookeeperRecipe } from "./local/java.js";
import { type LocalRecipe, LocalServer } from "./local/local-server.js";
import { mariadbRecipe } from "./local/mariadb.js";
import { memcachedRecipe } from "./local/memcached.js";
import { postgresRecipe } from "./local/postgres.js";
import { rabbitmqRecipe } from "./local/rabbitmq.js";
import { redisRecipe } from "./local/redis.js";
import { localPostgresReplicated, localRedisReplicated } from "./local/replicated.js";
import type { ReplicatedHandle, ServiceHandle, ServiceName, ServiceOptions } from "./types.js";

const RECIPES: Record<ServiceName, (args: string[]) => LocalRecipe> = {
  postgres: () => postgresRecipe(),
  redis: (args) => redisRecipe({ args }),
  rabbitmq: rabbitmqRecipe,
  memcached: memcachedRecipe,
  kafka: kafkaRecipe,
  zookeeper: zookeeperRecipe,
  sqs: sqsRecipe,
  mariadb: mariadbRecipe,
};

/**
 * A server of the given kind. In order of preference:
 * 1. `PLAYGROUND_<SERVICE>_URL`, unless `dedicated` (the Jest global setup
 *    sets these for the servers the chosen tests share);
 * 2. a container, when a container runtime answers (`PLAYGROUND_INFRA`);
 * 3. a local child process of the installed binary.
 */
export async function startService(
  service: ServiceName,
  options: ServiceOptions = {},
): Promise<ServiceHandle> {
  const url = process.env[envVar(service)];
  const args = options.args ?? [];
  if (args.length > 0 && service !== "redis") {
    throw new Error(`Server flags are supported for redis only, not ${service}: drop \`args\`.`);
  }
  if (url && !options.dedicated && args.length === 0) return new ExternalServer(service, url);
  if ((await chooseBackend()) === "docker") return startDocker(service, args);
  return LocalServer.create(RECIPES[service](args));
}

/** Every server the playground uses, each a fresh handle (see {@link startService}). */
export const services = {
  postgres: (options?: ServiceOptions) => startService("postgres", options),
  redis: (options?: ServiceOptions) => startService("redis", options),
  rabbitmq: (options?: ServiceOptions) => startService("rabbitmq", options),
  memcached: (options?: ServiceOptions) => startService("memcached", options),
  kafka: (options?: ServiceOptions) => startService("kafka", options),
  zookeeper: (options?: ServiceOptions) => startService("zookeeper", options),
  sqs: (options?: ServiceOptions) => startService("sqs", options),
  mariadb: (options?: ServiceOptions) => startService("mariadb", options),

  /** A primary and a streaming replica; with `sync`, commits wait for the replica. Always dedicated. */
  async postgresReplicated(options: { sync: boolean }): Promise<ReplicatedHandle> {
    if ((await chooseBackend()) === "docker") return startDockerReplicated("postgres", options);
    return localPostgresReplicated(options);
  },

  /** A primary and a `--replicaof` replica. Always dedicated. */
  async redisReplicated(): Promise<ReplicatedHandle> {
    if ((await chooseBackend()) === "docker") return startDockerReplicated("redis");
    return localRedisReplicated();
  },
};
