import { randomBytes } from "node:crypto";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import http from "node:http";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "@jest/globals";
import amqp from "amqplib";
import { Redis } from "ioredis";
import kafkajs from "kafkajs";
import mysql from "mysql2/promise";
import pg from "pg";
import {
  envVar,
  isListening,
  processTree,
  type ServiceHandle,
  type ServiceName,
  SharedServiceError,
  services,
  settlesWithin,
} from "../src/index.js";
import { LocalServer } from "../src/services/local/local-server.js";

// These claims are about the local backend: child processes, their pids and
// their temporary directories.
process.env.PLAYGROUND_INFRA = "local";
process.env.KAFKAJS_NO_PARTITIONER_WARNING = "1";

const uniqueId = () => `t${Date.now().toString(36)}${randomBytes(4).toString("hex")}`;

async function timed(work: () => Promise<unknown>): Promise<number> {
  const started = performance.now();
  await work();
  return performance.now() - started;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** The local server behind a handle, for its pid and directory. */
function local(handle: ServiceHandle): LocalServer {
  if (!(handle instanceof LocalServer)) throw new Error(`${handle.service} is not a local server`);
  return handle;
}

/**
 * Where `work` stands after `ms`: still pending, answered, or failed and why.
 * A claim that a request blocks must tell "it was answered" apart from "it
 * failed": both settle, and only the first says the server was not frozen.
 */
async function outcomeWithin(work: Promise<unknown>, ms: number): Promise<string> {
  const outcome = work.then(
    () => "answered",
    (err: unknown) => `failed: ${err instanceof Error ? err.message : String(err)}`,
  );
  return (await settlesWithin(outcome, ms)) ? await outcome : "pending";
}

/** The threads of `pids` that can still run, as "pid/tid state", read from /proc/…/status. */
function runnableThreads(pids: number[]): string[] {
  const read = (file: string) => {
    try {
      return readFileSync(file, "utf8");
    } catch {
      return ""; // exited while we looked
    }
  };
  return pids.flatMap((pid) => {
    let tids: string[] = [];
    try {
      tids = readdirSync(`/proc/${pid}/task`);
    } catch {
      // exited while we looked
    }
    return tids.flatMap((tid) => {
      const state = /^State:\s+(\S)/m.exec(read(`/proc/${pid}/task/${tid}/status`))?.[1];
      // Stopped, traced, zombie or dead: none of these runs another instruction.
      return state && !"TtZX".includes(state) ? [`${pid}/${tid} ${state}`] : [];
    });
  });
}

function hostPort(url: string): { host: string; port: number } {
  const parsed = new URL(url);
  return { host: parsed.hostname, port: Number(parsed.port) };
}

/** One request on a fresh TCP connection; resolves with the reply once it matches `done`. */
function tcpAsk(url: string, request: string, done: RegExp): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(hostPort(url));
    let reply = "";
    socket.setEncoding("utf8");
    socket.on("connect", () => socket.write(request));
    socket.on("data", (chunk: string) => {
      reply += chunk;
      if (done.test(reply)) {
        socket.destroy();
        resolve(reply);
      }
    });
    socket.on("error", reject);
    socket.on("close", () => reject(new Error(`connection closed after ${JSON.stringify(reply)}`)));
  });
}

/** A form POST on a connection of its own (no keep-alive pool to outlive a restart). */
function httpPost(url: string, form: Record<string, string>): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = new URLSearchParams(form).toString();
    const request = http.request(url, {
      method: "POST",
      agent: false,
      headers: { "content-type": "application/x-www-form-urlencoded" },
    });
    request.on("response", (response) => {
      let text = "";
      response.setEncoding("utf8");
      response.on("data", (chunk: string) => {
        text += chunk;
      });
      response.on("end", () =>
        response.statusCode === 200
          ? resolve(text)
          : reject(new Error(`HTTP ${response.statusCode}: ${text}`)),
      );
    });
    request.on("error", reject);
    request.end(body);
  });
}

const xmlField = (xml: string, field: string) =>
  new RegExp(`<${field}>([^<]*)</${field}>`).exec(xml)?.[1];

async function pgQuery(
  url: string,
  sql: string,
  params: unknown[] = [],
): Promise<pg.QueryResultRow[]> {
  const client = new pg.Client({ connectionString: url });
  client.on("error", () => {});
  await client.connect();
  try {
    return (await client.query(sql, params)).rows;
  } finally {
    await client.end();
  }
}

async function withRedis<T>(url: string, work: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis(url, { lazyConnect: true, retryStrategy: () => null });
  redis.on("error", () => {});
  await redis.connect();
  try {
    return await work(redis);
  } finally {
    redis.disconnect();
  }
}

async function withAmqp<T>(
  url: string,
  work: (channel: amqp.ConfirmChannel) => Promise<T>,
): Promise<T> {
  const connection = await amqp.connect(url);
  connection.on("error", () => {});
  try {
    return await work(await connection.createConfirmChannel());
  } finally {
    await connection.close();
  }
}

function kafka(url: string): kafkajs.Kafka {
  const { host, port } = hostPort(url);
  return new kafkajs.Kafka({
    clientId: "kit-lifecycle-test",
    brokers: [`${host}:${port}`],
    logLevel: kafkajs.logLevel.NOTHING,
  });
}

async function withKafkaAdmin<T>(
  url: string,
  work: (admin: kafkajs.Admin) => Promise<T>,
): Promise<T> {
  const admin = kafka(url).admin();
  await admin.connect();
  try {
    return await work(admin);
  } finally {
    await admin.disconnect();
  }
}

/** The first message of `topic`, read from the beginning by a consumer group of its own. */
async function kafkaFirstMessage(url: string, topic: string): Promise<string> {
  const consumer = kafka(url).consumer({ groupId: `g-${uniqueId()}` });
  await consumer.connect();
  try {
    await consumer.subscribe({ topic, fromBeginning: true });
    const first = new Promise<string>((resolve, reject) => {
      consumer
        .run({ eachMessage: async ({ message }) => resolve(message.value?.toString() ?? "") })
        .catch(reject);
    });
    if (!(await settlesWithin(first, 60_000))) throw new Error(`no message on ${topic}`);
    return await first;
  } finally {
    await consumer.disconnect();
  }
}

/** What a test needs to know about one kind of server. */
interface Probe {
  service: ServiceName;
  /** Sends `id` on a fresh connection to the handle's url and returns what came back. */
  roundTrip(url: string, id: string): Promise<string>;
  /** What a working round trip returns. */
  answer(id: string): string;
  /** A line the server itself prints about this very port, if it prints anything. */
  ownOutput?(port: number): RegExp;
  /** Data the server keeps on disk across a stop or a crash, if it keeps any. */
  durable?: {
    what: string;
    write(url: string, id: string): Promise<void>;
    read(url: string, id: string): Promise<string | undefined>;
  };
}

/** One query on a fresh MariaDB connection. */
async function mariaQuery<T>(url: string, sql: string, values: unknown[] = []): Promise<T[]> {
  const connection = await mysql.createConnection({ uri: url, connectTimeout: 5000 });
  try {
    const [rows] = await connection.query(sql, values);
    return rows as T[];
  } finally {
    await connection.end();
  }
}

const PROBES: Probe[] = [
  {
    service: "mariadb",
    roundTrip: async (url, id) =>
      (await mariaQuery<{ v: string }>(url, "select ? as v", [id]))[0]!.v,
    answer: (id) => id,
    ownOutput: (port) => new RegExp(`port: ${port}`),
    durable: {
      what: "a committed row",
      async write(url, id) {
        await mariaQuery(url, "create database if not exists lifecycle");
        await mariaQuery(
          url,
          "create table if not exists lifecycle.notes (id varchar(64) primary key)",
        );
        await mariaQuery(url, "insert into lifecycle.notes (id) values (?)", [id]);
      },
      read: async (url, id) =>
        (
          await mariaQuery<{ id: string }>(url, "select id from lifecycle.notes where id = ?", [id])
        )[0]?.id,
    },
  },
  {
    service: "postgres",
    roundTrip: async (url, id) => (await pgQuery(url, "select $1::text as v", [id]))[0]?.v,
    answer: (id) => id,
    ownOutput: (port) => new RegExp(`listening on IPv4 address "127.0.0.1", port ${port}`),
    durable: {
      what: "a committed row",
      async write(url, id) {
        await pgQuery(url, "create table if not exists notes (id text primary key)");
        await pgQuery(url, "insert into notes (id) values ($1)", [id]);
      },
      read: async (url, id) =>
        (await pgQuery(url, "select id from notes where id = $1", [id]))[0]?.id,
    },
  },
  {
    service: "redis",
    roundTrip: (url, id) =>
      withRedis(url, async (redis) => {
        await redis.set(`lifecycle:${id}`, id);
        return (await redis.get(`lifecycle:${id}`)) ?? "";
      }),
    answer: (id) => id,
    ownOutput: (port) => new RegExp(`Running mode=standalone, port=${port}\\.`),
  },
  {
    service: "memcached",
    roundTrip: async (url, id) => {
      const reply = await tcpAsk(
        url,
        `set ${id} 0 60 ${id.length}\r\n${id}\r\nget ${id}\r\n`,
        /END\r\n$/,
      );
      return /VALUE \S+ 0 \d+\r\n(.*)\r\n/.exec(reply)?.[1] ?? reply;
    },
    answer: (id) => id,
    // memcached prints nothing unless asked to be verbose.
  },
  {
    service: "rabbitmq",
    roundTrip: (url, id) =>
      withAmqp(url, async (channel) => {
        const { queue } = await channel.assertQueue("", { exclusive: true });
        channel.sendToQueue(queue, Buffer.from(id));
        await channel.waitForConfirms();
        const message = await channel.get(queue, { noAck: true });
        return message ? message.content.toString() : "";
      }),
    answer: (id) => id,
    ownOutput: (port) => new RegExp(`started TCP listener on 127\\.0\\.0\\.1:${port}`),
    // One queue for both tests: the stop/start test declares it and a clean
    // stop writes it down, so the crash test is about the message alone. A
    // confirm covers the message, not the queue: a queue declared moments
    // before a SIGKILL was twice gone after it in about 12 runs (message-queue
    // measured the same).
    durable: {
      what: "a persistent message in a durable queue",
      write: (url, id) =>
        withAmqp(url, async (channel) => {
          await channel.assertQueue("lifecycle-durable", { durable: true });
          channel.sendToQueue("lifecycle-durable", Buffer.from(id), { persistent: true });
          await channel.waitForConfirms();
        }),
      read: (url) =>
        withAmqp(url, async (channel) => {
          const message = await channel.get("lifecycle-durable", { noAck: true });
          return message ? message.content.toString() : undefined;
        }),
    },
  },
  {
    service: "kafka",
    roundTrip: (url, id) =>
      withKafkaAdmin(url, async (admin) => {
        await admin.createTopics({ topics: [{ topic: id }], waitForLeaders: true });
        const { topics } = await admin.fetchTopicMetadata({ topics: [id] });
        return topics[0]?.name ?? "";
      }),
    answer: (id) => id,
    ownOutput: (port) => new RegExp(`Awaiting socket connections on 127\\.0\\.0\\.1:${port}`),
    durable: {
      what: "an acknowledged message",
      async write(url, id) {
        await withKafkaAdmin(url, (admin) =>
          admin.createTopics({ topics: [{ topic: id }], waitForLeaders: true }),
        );
        const producer = kafka(url).producer();
        await producer.connect();
        try {
          await producer.send({ topic: id, acks: -1, messages: [{ value: id }] });
        } finally {
          await producer.disconnect();
        }
      },
      read: (url, id) => kafkaFirstMessage(url, id),
    },
  },
  {
    service: "zookeeper",
    // The four-letter word "ruok" is ZooKeeper's own health check.
    roundTrip: (url) => tcpAsk(url, "ruok", /imok/),
    answer: () => "imok",
    ownOutput: (port) => new RegExp(`binding to port /127\\.0\\.0\\.1:${port}`),
  },
  {
    service: "sqs",
    roundTrip: async (url, id) => {
      const queueUrl = xmlField(
        await httpPost(`${url}/`, { Action: "CreateQueue", QueueName: id }),
        "QueueUrl",
      );
      if (!queueUrl) throw new Error("CreateQueue returned no QueueUrl");
      await httpPost(queueUrl, { Action: "SendMessage", MessageBody: id });
      const received = await httpPost(queueUrl, {
        Action: "ReceiveMessage",
        WaitTimeSeconds: "5",
      });
      return xmlField(received, "Body") ?? received;
    },
    answer: (id) => id,
    ownOutput: (port) =>
      new RegExp(`Started SQS rest server, bind address 127\\.0\\.0\\.1:${port}`),
  },
];

/**
 * The claims every server makes. They share one dedicated server per kind,
 * in order, and each leaves it running for the next.
 */
function lifecycleClaims(probe: Probe, server: () => ServiceHandle): void {
  const { service } = probe;

  it(`when a client connects to the url of a dedicated ${service}, then a round trip works`, async () => {
    // Arrange
    const handle = server();
    const id = uniqueId();
    // Act
    const answer = await probe.roundTrip(handle.url, id);
    // Assert
    expect(handle.backend).toBe("local");
    expect(answer).toBe(probe.answer(id));
  });

  if (probe.ownOutput) {
    const ownOutput = probe.ownOutput;
    it(`when ${service} has started, then logs() holds what the server printed`, async () => {
      // Arrange
      const handle = server();
      // Act
      const logs = await handle.logs();
      // Assert
      expect(logs).toMatch(ownOutput(handle.port));
    });
  }

  // SIGSTOP takes effect a little after kill() returns, one thread at a
  // time; a pause() that resolved before the last thread stopped let a
  // request sent at once be answered "while paused", now and then. Many
  // rounds, because that race is lost only in some of them.
  it(`when ${service} is paused, then every thread of it has stopped by the time pause() resolves`, async () => {
    // Arrange
    const handle = local(server());
    const stillRunnable: string[] = [];
    // Act
    for (let round = 0; round < 20; round++) {
      // Walking /proc for the tree takes a while: do it first, so that the
      // look right after pause() is as quick as it can be.
      const tree = processTree(handle.pid!);
      await handle.pause();
      stillRunnable.push(...runnableThreads(tree));
      await handle.resume();
    }
    // Assert
    expect(stillRunnable).toEqual([]);
  });

  it(`when ${service} is paused, then a request does not complete until resume()`, async () => {
    // Arrange
    const handle = server();
    const normal = await timed(() => probe.roundTrip(handle.url, uniqueId()));
    const clientTimeout = Math.min(Math.max(10 * normal, 500), 5000);
    const id = uniqueId();
    // Act
    await handle.pause();
    let pending: Promise<string> | undefined;
    let whilePaused: string;
    try {
      pending = probe.roundTrip(handle.url, id);
      pending.catch(() => {});
      whilePaused = await outcomeWithin(pending, clientTimeout);
    } finally {
      await handle.resume();
    }
    // Assert
    expect(whilePaused).toBe("pending");
    expect(await pending).toBe(probe.answer(id));
  });

  const keeps = probe.durable ? ` and still has ${probe.durable.what}` : "";
  it(`when ${service} is stopped and started, then it answers on the same port${keeps}`, async () => {
    // Arrange
    const handle = server();
    const port = handle.port;
    const id = uniqueId();
    await probe.durable?.write(handle.url, id);
    // Act
    await handle.stop();
    const listeningWhileStopped = await isListening(port);
    await handle.start();
    // Assert
    expect(listeningWhileStopped).toBe(false);
    expect(handle.port).toBe(port);
    expect(await probe.roundTrip(handle.url, id)).toBe(probe.answer(id));
    if (probe.durable) expect(await probe.durable.read(handle.url, id)).toBe(id);
  });

  it(`when ${service} is killed, then its process and port are gone, and start() brings it back${keeps}`, async () => {
    // Arrange
    const handle = local(server());
    const { pid, port } = handle;
    const id = uniqueId();
    await probe.durable?.write(handle.url, id);
    // Act
    await handle.kill();
    const aliveAfterKill = isAlive(pid!);
    const listeningAfterKill = await isListening(port);
    await handle.start();
    // Assert
    expect(aliveAfterKill).toBe(false);
    expect(listeningAfterKill).toBe(false);
    expect(handle.port).toBe(port);
    expect(handle.pid).not.toBe(pid);
    expect(await probe.roundTrip(handle.url, id)).toBe(probe.answer(id));
    if (probe.durable) expect(await probe.durable.read(handle.url, id)).toBe(id);
  });

  it(`when a shared ${service} handle is asked to stop, kill or pause, then it refuses and says to ask for a dedicated one`, async () => {
    // Arrange
    const variable = envVar(service);
    const before = process.env[variable];
    process.env[variable] = server().url;
    try {
      const shared = await services[service]();
      const stillUp = uniqueId();
      // Act
      const refusals = await Promise.all(
        [shared.stop(), shared.kill(), shared.pause()].map((call) =>
          call.then(
            () => undefined,
            (err: unknown) => err,
          ),
        ),
      );
      // Assert
      expect(shared.backend).toBe("external");
      for (const refusal of refusals) {
        expect(refusal).toBeInstanceOf(SharedServiceError);
        expect((refusal as Error).message).toContain(`services.${service}({ dedicated: true })`);
      }
      expect(await probe.roundTrip(shared.url, stillUp)).toBe(probe.answer(stillUp));
    } finally {
      if (before === undefined) delete process.env[variable];
      else process.env[variable] = before;
    }
  });
}

/** The last claim of a describe block: it disposes the block's server. */
function disposalClaim(service: ServiceName, server: () => ServiceHandle): void {
  it(`when ${service} is disposed, then its port is closed, its process gone and its directory removed`, async () => {
    // Arrange
    const handle = local(server());
    const { port, dir } = handle;
    const pid = handle.pid!;
    // Act
    await handle[Symbol.asyncDispose]();
    // Assert
    expect(await isListening(port)).toBe(false);
    expect(isAlive(pid)).toBe(false);
    expect(existsSync(dir)).toBe(false);
  });
}

function probe(service: ServiceName): Probe {
  return PROBES.find((p) => p.service === service)!;
}

/** A describe block with one dedicated server, started once and disposed at the end. */
function describeService(
  service: ServiceName,
  extra?: (server: () => ServiceHandle) => void,
): void {
  describe(`a dedicated ${service}`, () => {
    let handle: ServiceHandle | undefined;
    const server = () => handle!;
    beforeAll(async () => {
      handle = await services[service]({ dedicated: true });
    });
    afterAll(async () => {
      await handle?.[Symbol.asyncDispose]();
    });
    lifecycleClaims(probe(service), server);
    extra?.(server);
    disposalClaim(service, server);
  });
}

describeService("postgres", (server) => {
  it("when postgres is paused, then a query on an already open connection does not complete until resume()", async () => {
    // Arrange
    const handle = server();
    const client = new pg.Client({ connectionString: handle.url });
    client.on("error", () => {});
    await client.connect();
    try {
      const normal = await timed(() => client.query("select 1"));
      const clientTimeout = Math.min(Math.max(10 * normal, 500), 5000);
      // Act
      await handle.pause();
      let pending: Promise<pg.QueryResult> | undefined;
      let whilePaused: string;
      try {
        pending = client.query("select 42 as answer");
        pending.catch(() => {});
        whilePaused = await outcomeWithin(pending, clientTimeout);
      } finally {
        await handle.resume();
      }
      // Assert
      expect(whilePaused).toBe("pending");
      expect((await pending).rows).toEqual([{ answer: 42 }]);
    } finally {
      await client.end();
    }
  });

  it("when postgres is stopped and started, then logs() still holds what the earlier run printed", async () => {
    // Arrange
    const handle = server();
    // Act
    await handle.stop();
    await handle.start();
    // Assert
    const logs = await handle.logs();
    expect(logs).toContain("received fast shutdown request");
    expect(logs).toContain("database system is shut down");
  });

  it("when a paused postgres is stopped, then it shuts down cleanly", async () => {
    // Arrange
    const handle = server();
    await handle.pause();
    // Act
    await handle.stop();
    // Assert
    const logs = await handle.logs();
    await handle.start();
    expect(logs).toContain("database system is shut down");
  });
});

describeService("redis", (server) => {
  it("when redis is restarted, then it comes back on the same port without its data, as persistence is off by design", async () => {
    // Arrange
    const handle = server();
    const port = handle.port;
    const key = `lifecycle:${uniqueId()}`;
    await withRedis(handle.url, (redis) => redis.set(key, "v"));
    // Act
    await handle.restart();
    // Assert
    expect(handle.port).toBe(port);
    expect(await withRedis(handle.url, (redis) => redis.get(key))).toBeNull();
  });
});

describeService("memcached");
describeService("rabbitmq");
describeService("kafka");
describeService("zookeeper");
describeService("sqs");
describeService("mariadb");
