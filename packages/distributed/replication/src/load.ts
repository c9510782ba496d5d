import type { Redis } from "ioredis";
import type pg from "pg";

/** What a write load did: the ids the server acknowledged, and how far it got. */
export interface LoadHistory {
  /** Ids whose write the server acknowledged, in order. */
  acknowledged: number[];
  /** The last id sent; when the load ended on an error, its fate is unknown. */
  readonly attempted: number;
  /** Resolves when the load has stopped: at the first failed write, or on `stop()`. */
  done: Promise<void>;
  stop(): void;
}

// To check a failover we need a history: every write the client sent and
// whether the server acknowledged it. One writer, ids 1, 2, 3… in order,
// so the history is also the order of commits on the primary.
function load(write: (id: number) => Promise<unknown>): LoadHistory {
  const acknowledged: number[] = [];
  let attempted = 0;
  let stopped = false;
  const done = (async () => {
    for (let id = 1; !stopped; id++) {
      attempted = id;
      try {
        await write(id);
      } catch {
        return;
      }
      acknowledged.push(id);
    }
  })();
  return {
    acknowledged,
    get attempted() {
      return attempted;
    },
    done,
    stop: () => {
      stopped = true;
    },
  };
}

/** Inserts ids 1, 2, 3… into `table` (column `id`), one at a time, until a write fails. */
export function insertLoad(client: pg.Client, table: string): LoadHistory {
  return load((id) => client.query(`insert into ${table} (id) values ($1)`, [id]));
}

/** RPUSHes 1, 2, 3… onto the list `key`, one at a time, until a command fails. */
export function pushLoad(client: Redis, key: string): LoadHistory {
  return load((id) => client.rpush(key, id));
}
