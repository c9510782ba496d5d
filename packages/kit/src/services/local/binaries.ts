import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { ServiceUnavailableError } from "../../errors.js";
import type { ServiceName } from "../types.js";

/** How to get each server when it is missing; the tail of every "not available" error. */
export const INSTALL_HINT: Record<ServiceName, string> = {
  postgres:
    "start Docker, or install PostgreSQL (`apt-get install postgresql`), or set PLAYGROUND_POSTGRES_URL",
  redis:
    "start Docker, or install Redis (`apt-get install redis-server`), or set PLAYGROUND_REDIS_URL",
  rabbitmq:
    "start Docker, or install RabbitMQ (`apt-get install rabbitmq-server`), or set PLAYGROUND_RABBITMQ_URL",
  memcached:
    "start Docker, or install memcached (`apt-get install memcached`), or set PLAYGROUND_MEMCACHED_URL",
  kafka:
    "start Docker, or run `pnpm infra fetch` (needs Java 17 and Maven), or set PLAYGROUND_KAFKA_URL",
  zookeeper:
    "start Docker, or run `pnpm infra fetch` (needs Java 17 and Maven), or set PLAYGROUND_ZOOKEEPER_URL",
  sqs: "start Docker, or run `pnpm infra fetch` (needs Java 17 and Maven), or set PLAYGROUND_SQS_URL",
  mariadb:
    "start Docker, or install MariaDB (`apt-get install mariadb-server`), or set PLAYGROUND_MARIADB_URL",
};

const TITLES: Record<ServiceName, string> = {
  postgres: "PostgreSQL",
  redis: "Redis",
  rabbitmq: "RabbitMQ",
  memcached: "memcached",
  kafka: "Kafka",
  zookeeper: "ZooKeeper",
  sqs: "ElasticMQ (SQS)",
  mariadb: "MariaDB",
};

export function unavailable(service: ServiceName, why: string): ServiceUnavailableError {
  return new ServiceUnavailableError(
    `${TITLES[service]} is not available (${why}): ${INSTALL_HINT[service]}.`,
  );
}

/** The first executable called `name` on PATH or in `extraDirs`. */
export function which(name: string, extraDirs: string[] = []): string | undefined {
  const dirs = [
    ...extraDirs,
    ...(process.env.PATH ?? "").split(path.delimiter),
    "/usr/sbin",
    "/sbin",
  ];
  return dirs.map((d) => path.join(d, name)).find((p) => existsSync(p));
}

/** PostgreSQL's server binaries live in a versioned directory off PATH on Debian. */
export function postgresBin(name: string): string | undefined {
  const root = "/usr/lib/postgresql";
  const versions = existsSync(root)
    ? readdirSync(root)
        .filter((v) => /^\d+$/.test(v))
        .sort((a, b) => Number(b) - Number(a))
    : [];
  return which(
    name,
    versions.map((v) => path.join(root, v, "bin")),
  );
}

/** RabbitMQ's own server script, not the Debian wrapper that re-runs itself through `su`. */
export function rabbitmqBin(name: string): string | undefined {
  const root = "/usr/lib/rabbitmq/lib";
  const dirs = existsSync(root) ? readdirSync(root).map((d) => path.join(root, d, "sbin")) : [];
  return which(name, dirs.sort().reverse());
}

export function require(service: ServiceName, binary: string | undefined, name: string): string {
  if (!binary) throw unavailable(service, `no \`${name}\` binary and no Docker`);
  return binary;
}

/** The binaries the local backend needs for `service`, and where each was found. */
export function localBinaries(service: ServiceName): { name: string; path: string | undefined }[] {
  const found = (name: string, path: string | undefined) => ({ name, path });
  switch (service) {
    case "postgres":
      return ["initdb", "postgres", "pg_basebackup"].map((n) => found(n, postgresBin(n)));
    case "redis":
      return [found("redis-server", which("redis-server"))];
    case "rabbitmq":
      return [
        found("rabbitmq-server", rabbitmqBin("rabbitmq-server")),
        found("epmd", which("epmd")),
      ];
    case "memcached":
      return [found("memcached", which("memcached"))];
    case "mariadb":
      return [
        found("mariadb-install-db", which("mariadb-install-db")),
        found("mariadbd", which("mariadbd")),
      ];
    case "kafka":
    case "zookeeper":
    case "sqs":
      return [found("java", which("java"))];
  }
}
