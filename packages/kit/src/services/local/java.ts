import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import { writeFile } from "node:fs/promises";
import net from "node:net";
import path from "node:path";
import { promisify } from "node:util";
import { waitUntil } from "../../helpers/wait.js";
import { require, which } from "./binaries.js";
import { classpath, ensureJars, type JarService } from "./jars.js";
import type { LocalContext, LocalRecipe } from "./local-server.js";

const run = promisify(execFile);
const java = (service: JarService) => require(service, which("java"), "java");
const JVM = ["-Xms128m", "-Xmx512m", "-XX:+UseSerialGC", "-Djava.awt.headless=true"];

const properties = (entries: Record<string, string | number>) =>
  `${Object.entries(entries)
    .map(([k, v]) => `${k}=${v}`)
    .join("\n")}\n`;

/**
 * A cluster id is 16 random bytes in base64url, as `kafka-storage random-uuid`
 * prints. Like Kafka's own `Uuid.randomUuid()`, we never start one with "-":
 * the storage tool would read it as an option.
 */
function newClusterId(): string {
  for (;;) {
    const id = randomBytes(16).toString("base64url");
    if (!id.startsWith("-")) return id;
  }
}

/**
 * A single-node Kafka 3.9 in KRaft mode: one process is both broker and
 * controller, so there is no ZooKeeper. Offsets and transactions use a
 * replication factor of 1, or the group coordinator never becomes available.
 */
export function kafkaRecipe(): LocalRecipe {
  const config = (ctx: LocalContext) => path.join(ctx.dir, "server.properties");
  const log4j = (ctx: LocalContext) => path.join(ctx.dir, "log4j.properties");
  const controller = (ctx: LocalContext) => ctx.extraPorts[0];
  return {
    service: "kafka",
    extraPorts: 1,
    async prepare(ctx) {
      await ensureJars("kafka");
      await writeFile(
        config(ctx),
        properties({
          "process.roles": "broker,controller",
          "node.id": 1,
          "controller.quorum.voters": `1@127.0.0.1:${controller(ctx)}`,
          listeners: `PLAINTEXT://127.0.0.1:${ctx.port},CONTROLLER://127.0.0.1:${controller(ctx)}`,
          "advertised.listeners": `PLAINTEXT://127.0.0.1:${ctx.port}`,
          "controller.listener.names": "CONTROLLER",
          "inter.broker.listener.name": "PLAINTEXT",
          "listener.security.protocol.map": "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
          "log.dirs": path.join(ctx.dir, "data"),
          "num.partitions": 1,
          "offsets.topic.replication.factor": 1,
          "offsets.topic.num.partitions": 5,
          "transaction.state.log.replication.factor": 1,
          "transaction.state.log.min.isr": 1,
          "group.initial.rebalance.delay.ms": 0,
          // After a crash the restarted broker must wait out its old session
          // before it may register again; the default makes that 9 s.
          "broker.session.timeout.ms": 3000,
          "broker.heartbeat.interval.ms": 500,
        }),
      );
      await writeFile(
        log4j(ctx),
        properties({
          "log4j.rootLogger": "INFO, stdout",
          "log4j.appender.stdout": "org.apache.log4j.ConsoleAppender",
          "log4j.appender.stdout.layout": "org.apache.log4j.PatternLayout",
          "log4j.appender.stdout.layout.ConversionPattern": "[%d] %p %m (%c)%n",
        }),
      );
      const clusterId = newClusterId();
      await run(java("kafka"), [
        ...JVM,
        "-cp",
        classpath("kafka"),
        `-Dlog4j.configuration=file:${log4j(ctx)}`,
        "kafka.tools.StorageTool",
        "format",
        "-t",
        clusterId,
        "-c",
        config(ctx),
      ]);
    },
    process(ctx) {
      return {
        label: "kafka",
        command: java("kafka"),
        args: [
          ...JVM,
          "-cp",
          classpath("kafka"),
          `-Dlog4j.configuration=file:${log4j(ctx)}`,
          "kafka.Kafka",
          config(ctx),
        ],
        readyLine: /Kafka Server started/,
        readyTimeoutMs: 60_000,
      };
    },
    url: (ctx) => `kafka://127.0.0.1:${ctx.port}`,
  };
}

/** A standalone ZooKeeper 3.9 bound to loopback, with every four-letter word enabled. */
export function zookeeperRecipe(): LocalRecipe {
  const config = (ctx: LocalContext) => path.join(ctx.dir, "zoo.cfg");
  return {
    service: "zookeeper",
    async prepare(ctx) {
      await ensureJars("zookeeper");
      await writeFile(
        config(ctx),
        properties({
          dataDir: path.join(ctx.dir, "data"),
          clientPort: ctx.port,
          clientPortAddress: "127.0.0.1",
          tickTime: 2000,
          "admin.enableServer": "false",
          "4lw.commands.whitelist": "*",
        }),
      );
    },
    process(ctx) {
      return {
        label: "zookeeper",
        command: java("zookeeper"),
        args: [
          ...JVM,
          "-cp",
          classpath("zookeeper"),
          "org.apache.zookeeper.server.quorum.QuorumPeerMain",
          config(ctx),
        ],
      };
    },
    // An open port is not enough: ZooKeeper answers `ruok` even when it
    // failed to start serving. `srvr` names its mode only once it serves.
    ready: (ctx) =>
      waitUntil(
        "zookeeper serving",
        async () => /Mode: /.test(await fourLetterWord(ctx.port, "srvr")),
        {
          timeoutMs: 30_000,
        },
      ),
    url: (ctx) => `zookeeper://127.0.0.1:${ctx.port}`,
  };
}

/** ElasticMQ speaks the SQS API over HTTP; the config file sets its port. */
export function sqsRecipe(): LocalRecipe {
  const config = (ctx: LocalContext) => path.join(ctx.dir, "elasticmq.conf");
  return {
    service: "sqs",
    async prepare(ctx) {
      await ensureJars("sqs");
      await writeFile(
        config(ctx),
        `include classpath("application.conf")
node-address { protocol = http, host = "127.0.0.1", port = ${ctx.port}, context-path = "" }
rest-sqs { enabled = true, bind-port = ${ctx.port}, bind-hostname = "127.0.0.1", sqs-limits = strict }
rest-stats { enabled = false }
`,
      );
    },
    process(ctx) {
      return {
        label: "elasticmq",
        command: java("sqs"),
        args: [
          ...JVM,
          `-Dconfig.file=${config(ctx)}`,
          "-cp",
          classpath("sqs"),
          "org.elasticmq.server.Main",
        ],
        readyLine: /ElasticMQ server .* started/,
      };
    },
    url: (ctx) => `http://127.0.0.1:${ctx.port}`,
  };
}

/** Sends a ZooKeeper four-letter word and returns the whole answer. */
function fourLetterWord(port: number, word: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let answer = "";
    const socket = net.connect({ port, host: "127.0.0.1" }, () => socket.end(word));
    // A server still starting may accept and say nothing: give up on this try.
    socket.setTimeout(1000, () => socket.destroy());
    socket.on("data", (chunk) => {
      answer += chunk;
    });
    socket.on("close", () => resolve(answer));
    socket.on("error", reject);
  });
}
