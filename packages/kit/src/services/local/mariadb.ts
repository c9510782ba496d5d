import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";
import { require, which } from "./binaries.js";
import type { LocalContext, LocalRecipe } from "./local-server.js";

const run = promisify(execFile);

/**
 * MariaDB from Debian's package: `mariadb-install-db` creates the system
 * tables, then `mariadbd` serves them. `--no-defaults` keeps the machine's
 * own my.cnf (and its server on :3306) out of it. Root has no password.
 */
export function mariadbRecipe(): LocalRecipe {
  const data = (ctx: LocalContext) => path.join(ctx.dir, "data");
  const server = () => require("mariadb", which("mariadbd", ["/usr/sbin"]), "mariadbd");
  return {
    service: "mariadb",
    user: "mysql",
    async prepare(ctx) {
      const install = require("mariadb", which("mariadb-install-db"), "mariadb-install-db");
      await run(
        install,
        [
          "--no-defaults",
          `--datadir=${data(ctx)}`,
          "--auth-root-authentication-method=normal",
          "--skip-test-db",
          "--skip-name-resolve",
        ],
        { ...(ctx.account ? { uid: ctx.account.uid, gid: ctx.account.gid } : {}), cwd: ctx.dir },
      );
    },
    process(ctx) {
      return {
        label: "mariadb",
        command: server(),
        args: [
          "--no-defaults",
          `--datadir=${data(ctx)}`,
          `--port=${ctx.port}`,
          "--bind-address=127.0.0.1",
          `--socket=${path.join(ctx.dir, "mysqld.sock")}`,
          `--pid-file=${path.join(ctx.dir, "mysqld.pid")}`,
          "--skip-name-resolve",
          "--skip-log-bin",
          "--innodb-buffer-pool-size=64M",
        ],
        readyLine: /ready for connections/,
        readyTimeoutMs: 60_000,
      };
    },
    url: (ctx) => `mysql://root@127.0.0.1:${ctx.port}/`,
  };
}
