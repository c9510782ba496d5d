import { randomBytes } from "node:crypto";
import { type ServiceHandle, services } from "@playground/kit";
import type { Admin, Kafka, Producer } from "kafkajs";
import { EventService, type ServiceSpec } from "../src/event-driven-architecture.js";
import { createTopic, idempotentProducer, kafkaClient } from "../src/kafka.js";

export const unique = (prefix: string) => `${prefix}_${randomBytes(4).toString("hex")}`;

/**
 * The shared Kafka, a fresh topic, a producer and an admin client; every
 * service started through it is stopped on dispose. Consumer groups are
 * named after the topic, so parallel tests never share one.
 */
export class KafkaFixture {
  readonly #services: EventService<unknown>[] = [];

  private constructor(
    private readonly server: ServiceHandle,
    readonly url: string,
    readonly kafka: Kafka,
    readonly admin: Admin,
    readonly producer: Producer,
    readonly topic: string,
  ) {}

  static async create(): Promise<KafkaFixture> {
    const server = await services.kafka();
    const { url } = server;
    const kafka = kafkaClient(url);
    const admin = kafka.admin();
    const producer = idempotentProducer(kafka);
    await Promise.all([admin.connect(), producer.connect()]);
    const topic = unique("orders");
    await createTopic(admin, topic);
    return new KafkaFixture(server, url, kafka, admin, producer, topic);
  }

  /** A service in the group `<topic>.<name>` (or `group`), not yet started. */
  service<S>(spec: ServiceSpec<S>, group = spec.name): EventService<S> {
    const service = new EventService(this.kafka, spec, `${this.topic}.${group}`);
    this.#services.push(service as EventService<unknown>);
    return service;
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await Promise.all(this.#services.map((s) => s.stop()));
    await Promise.all([this.producer.disconnect(), this.admin.disconnect()]);
    await this.server[Symbol.asyncDispose]();
  }
}
