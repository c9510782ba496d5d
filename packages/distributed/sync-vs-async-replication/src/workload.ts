import type { History } from "./history.js";
import { connect } from "./postgres.js";

/** A running write load. */
export interface WriteLoad {
  /** Resolves once every writer has stopped and closed its connection. */
  done: Promise<void>;
  /** Asks the writers to stop after their current write. */
  stop(): void;
}

/**
 * `writers` clients, each on its own connection, insert one row per
 * autocommitted statement into `table` (column `id`) and record every write
 * in `history`. A writer stops when asked, or when its write's fate becomes
 * unknown: its connection is gone.
 */
export async function startWriteLoad(
  url: string,
  table: string,
  history: History,
  { writers }: { writers: number },
): Promise<WriteLoad> {
  const clients = await Promise.all(Array.from({ length: writers }, () => connect(url)));
  let stopped = false;
  const done = Promise.all(
    clients.map(async (client) => {
      try {
        while (!stopped) {
          const op = history.invoke();
          try {
            await client.query(`insert into ${table} (id) values ($1)`, [op.id]);
            history.ok(op);
          } catch (error) {
            history.failed(op, error);
            if (op.outcome === "unknown") return;
          }
        }
      } finally {
        await client.end();
      }
    }),
  ).then(() => undefined);
  return {
    done,
    stop: () => {
      stopped = true;
    },
  };
}
