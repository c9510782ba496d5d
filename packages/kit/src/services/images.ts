import type { ServiceName } from "./types.js";

/** A container image and the port its server listens on inside the container. */
export interface ImagePin {
  /** `repository:tag`, always an exact patch version so every machine runs the same server. */
  readonly image: string;
  /** The server's port inside the container. */
  readonly port: number;
}

/**
 * The one place every image is pinned. The docker backend starts these and
 * docker-compose.yml must name exactly the same ones; a test
 * (`test/images.compose.test.ts`) fails when the two drift apart.
 *
 * The versions follow the local backend: PostgreSQL 15, Redis 7.0,
 * RabbitMQ 3.10 and Kafka 3.9 in KRaft mode (kafkajs speaks protocol
 * versions that Kafka 4.0 removed).
 */
export const IMAGES: Readonly<Record<ServiceName, ImagePin>> = {
  postgres: { image: "postgres:15.14-alpine", port: 5432 },
  redis: { image: "redis:7.0.15-alpine", port: 6379 },
  rabbitmq: { image: "rabbitmq:3.10.25-alpine", port: 5672 },
  kafka: { image: "apache/kafka:3.9.1", port: 9092 },
  memcached: { image: "memcached:1.6.39-alpine", port: 11211 },
  zookeeper: { image: "zookeeper:3.9.4", port: 2181 },
  sqs: { image: "softwaremill/elasticmq-native:1.7.1", port: 9324 },
  mariadb: { image: "mariadb:10.11.10", port: 3306 },
};
