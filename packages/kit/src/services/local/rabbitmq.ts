import { randomBytes } from "node:crypto";
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { rabbitmqBin, require, which } from "./binaries.js";
import type { LocalContext, LocalRecipe } from "./local-server.js";

/**
 * An isolated RabbitMQ node: its own node name, ports, cookie, directories
 * and even its own epmd, so nothing outlives it and a system RabbitMQ on
 * this machine is never touched.
 */
export function rabbitmqRecipe(): LocalRecipe {
  // extraPorts: [distribution port, epmd port]
  const env = (ctx: LocalContext): NodeJS.ProcessEnv => ({
    HOME: path.join(ctx.dir, "home"),
    RABBITMQ_NODENAME: `playground-${ctx.port}@localhost`,
    RABBITMQ_NODE_IP_ADDRESS: "127.0.0.1",
    RABBITMQ_NODE_PORT: String(ctx.port),
    // The default is port + 20000, which overflows for high ports.
    RABBITMQ_DIST_PORT: String(ctx.extraPorts[0]),
    ERL_EPMD_PORT: String(ctx.extraPorts[1]),
    RABBITMQ_MNESIA_BASE: path.join(ctx.dir, "mnesia"),
    RABBITMQ_LOG_BASE: path.join(ctx.dir, "log"),
    RABBITMQ_LOGS: "-",
    RABBITMQ_PID_FILE: path.join(ctx.dir, "rabbit.pid"),
    RABBITMQ_ENABLED_PLUGINS_FILE: path.join(ctx.dir, "enabled_plugins"),
    RABBITMQ_CONFIG_FILE: path.join(ctx.dir, "rabbitmq"),
    // Makes the server script exec the Erlang VM instead of waiting on it as
    // a child, so the process we hold is the broker itself.
    RUNNING_UNDER_SYSTEMD: "true",
  });
  return {
    service: "rabbitmq",
    extraPorts: 2,
    async prepare(ctx) {
      const home = path.join(ctx.dir, "home");
      await mkdir(home, { recursive: true });
      const cookie = path.join(home, ".erlang.cookie");
      await writeFile(cookie, randomBytes(16).toString("hex"));
      await chmod(cookie, 0o400);
      await writeFile(path.join(ctx.dir, "enabled_plugins"), "[].\n");
      await writeFile(path.join(ctx.dir, "rabbitmq.conf"), "");
    },
    companions: (ctx) => [
      {
        label: "epmd",
        command: require("rabbitmq", which("epmd"), "epmd"),
        // `-d` keeps it in the foreground and makes it say when it is up.
        args: ["-d", "-port", String(ctx.extraPorts[1])],
        env: { HOME: path.join(ctx.dir, "home") },
        readyLine: /epmd running/,
      },
    ],
    process(ctx) {
      return {
        label: "rabbitmq",
        command: require("rabbitmq", rabbitmqBin("rabbitmq-server"), "rabbitmq-server"),
        args: [],
        env: env(ctx),
        readyLine: /Server startup complete/,
        readyTimeoutMs: 60_000,
      };
    },
    url: (ctx) => `amqp://guest:guest@127.0.0.1:${ctx.port}`,
  };
}
