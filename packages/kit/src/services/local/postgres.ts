import { execFile } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { postgresBin, require } from "./binaries.js";
import type { LocalContext, LocalRecipe } from "./local-server.js";

const run = promisify(execFile);

export interface PostgresOptions {
  /** Extra `postgresql.conf` lines. */
  settings?: Record<string, string | number>;
  /** Start from a base backup taken by `pg_basebackup` instead of `initdb`. */
  baseBackupFrom?: { port: number; applicationName: string };
}

const bin = (name: string) => require("postgres", postgresBin(name), name);

/** Runs a PostgreSQL tool as the account the server runs as. */
async function tool(ctx: LocalContext, name: string, args: string[]): Promise<void> {
  await run(bin(name), args, {
    ...(ctx.account ? { uid: ctx.account.uid, gid: ctx.account.gid } : {}),
    cwd: ctx.dir,
  });
}

export function postgresRecipe(options: PostgresOptions = {}): LocalRecipe {
  const data = (ctx: LocalContext) => path.join(ctx.dir, "data");
  return {
    service: "postgres",
    user: "postgres",
    // SIGINT is PostgreSQL's "fast" shutdown; SIGQUIT is "immediate", which
    // still frees its shared memory, so it is safe for throwaway servers.
    stopSignal: "SIGINT",
    quitSignal: "SIGQUIT",
    async prepare(ctx) {
      if (options.baseBackupFrom) {
        const { port, applicationName } = options.baseBackupFrom;
        const source = `host=127.0.0.1 port=${port} user=postgres application_name=${applicationName}`;
        await tool(ctx, "pg_basebackup", [
          "-d",
          source,
          "-D",
          data(ctx),
          "-R",
          "-X",
          "stream",
          "-c",
          "fast",
        ]);
      } else {
        await tool(ctx, "initdb", [
          "-D",
          data(ctx),
          "-U",
          "postgres",
          "-A",
          "trust",
          "--no-sync",
          "-E",
          "UTF8",
          "--locale=C",
        ]);
        await writeFile(path.join(data(ctx), "pg_hba.conf"), HBA);
      }
      const settings: Record<string, string | number> = {
        listen_addresses: "'127.0.0.1'",
        unix_socket_directories: `'${ctx.dir}'`,
        // Keep every byte this server writes inside its own directory.
        dynamic_shared_memory_type: "mmap",
        fsync: "off",
        full_page_writes: "off",
        wal_level: "replica",
        max_wal_senders: 5,
        max_connections: 200,
        ...options.settings,
      };
      const conf = Object.entries(settings)
        .map(([k, v]) => `${k} = ${v}`)
        .join("\n");
      await writeFile(path.join(data(ctx), "postgresql.auto.conf"), `${conf}\n`, { flag: "a" });
    },
    process(ctx) {
      return {
        label: "postgres",
        command: bin("postgres"),
        args: ["-D", data(ctx), "-p", String(ctx.port)],
        readyLine: /database system is ready to accept (read-only )?connections/,
      };
    },
    async afterCrash(ctx) {
      // A postmaster killed with SIGKILL leaves a small System V shared memory
      // segment behind; its key is line 7 of postmaster.pid.
      const pidFile = await readFile(path.join(data(ctx), "postmaster.pid"), "utf8").catch(
        () => "",
      );
      const key = pidFile.split("\n")[6]?.trim().split(/\s+/)[0];
      if (key && key !== "0") await run("ipcrm", ["-M", key]).catch(() => {});
    },
    url: (ctx) => `postgres://postgres@127.0.0.1:${ctx.port}/postgres`,
  };
}

const HBA = `local all all trust
host all all 127.0.0.1/32 trust
host replication all 127.0.0.1/32 trust
`;
