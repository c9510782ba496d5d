import { require, which } from "./binaries.js";
import type { LocalRecipe } from "./local-server.js";

export interface RedisOptions {
  /** Replicate from a primary on this port. */
  replicaOf?: number;
  /** Extra `--flag value` pairs. */
  args?: string[];
}

export function redisRecipe(options: RedisOptions = {}): LocalRecipe {
  return {
    service: "redis",
    user: "redis",
    process(ctx) {
      const args = [
        "--port",
        String(ctx.port),
        "--bind",
        "127.0.0.1",
        "--dir",
        ctx.dir,
        "--save",
        "",
        "--appendonly",
        "no",
        // Without this a replica's first full sync waits 5 s for more replicas to join.
        "--repl-diskless-sync-delay",
        "0",
        ...(options.replicaOf ? ["--replicaof", "127.0.0.1", String(options.replicaOf)] : []),
        ...(options.args ?? []),
      ];
      return {
        label: "redis",
        command: require("redis", which("redis-server"), "redis-server"),
        args,
        readyLine: /Ready to accept connections/,
      };
    },
    url: (ctx) => `redis://127.0.0.1:${ctx.port}`,
  };
}
