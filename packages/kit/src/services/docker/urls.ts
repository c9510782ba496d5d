import type { ServiceName } from "../types.js";

/**
 * The URL of a server published on `host:port`, in the same shape as the
 * local backend's, so a test cannot tell the two apart.
 */
export function serviceUrl(service: ServiceName, hostname: string, port: number): string {
  // An IPv6 address needs brackets inside a URL.
  const host = hostname.includes(":") ? `[${hostname}]` : hostname;
  switch (service) {
    case "postgres":
      return `postgres://postgres@${host}:${port}/postgres`;
    case "redis":
      return `redis://${host}:${port}`;
    case "rabbitmq":
      return `amqp://guest:guest@${host}:${port}`;
    case "kafka":
      return `kafka://${host}:${port}`;
    case "memcached":
      return `memcached://${host}:${port}`;
    case "zookeeper":
      return `zookeeper://${host}:${port}`;
    case "sqs":
      return `http://${host}:${port}`;
    case "mariadb":
      return `mysql://root@${host}:${port}/`;
  }
}
