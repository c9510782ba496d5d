import { type ServiceHandle, waitUntil } from "@playground/kit";
import type { Redis } from "ioredis";
import { connectMemcached, connectRedis, quitRedis, uniquePrefix } from "./clients.js";

// "Redis has persistence" describes a setting, not the server. The kit
// starts Redis as many caches run it, `--save "" --appendonly no`: nothing
// is ever written to disk. We crash servers for real (SIGKILL, no
// shutdown hook) and count the acknowledged writes that come back.

/** How the Redis under test was told to keep its data before the crash. */
export type RedisPersistence =
  | "none"
  | "snapshot"
  | "aof switched on at runtime"
  | "aof from startup";

/** The startup flags that make Redis log every write and fsync it before replying. */
export const AOF_FLAGS = ["--appendonly", "yes", "--appendfsync", "always"];

/** A group of acknowledged writes, and how many of them a crash left. */
export interface Batch {
  name: string;
  written: number;
  survived: number;
}

// An RDB snapshot is the dataset at one instant, written to `dump.rdb`.
// Redis loads that file at boot whatever `save` says, so a snapshot comes
// back; every write acknowledged after it is gone. `save 60 1000` and the
// like only take snapshots more often: the tail is still lost.
//
// The append-only file logs every write; `appendfsync always` fsyncs it
// before the reply. But `CONFIG SET appendonly yes` changes only the
// running server. Redis reads its AOF at boot only if its *startup*
// configuration says `appendonly yes`; a setting that was never written to
// redis.conf (`CONFIG REWRITE`) is forgotten by the crash, and the new
// process boots without reading the log it was writing. Started with
// `AOF_FLAGS`, the same server replays its log at boot and loses nothing
// it acknowledged.
/** Switches the append-only file on in the running server, fsync on every write. */
export async function switchOnAofAtRuntime(redis: Redis): Promise<void> {
  await redis.config("SET", "appendfsync", "always");
  await redis.config("SET", "appendonly", "yes");
  // Switching on starts a rewrite that writes the first base file; nothing
  // announces its end, so we watch INFO for it.
  await waitUntil("the first AOF rewrite", async () => {
    const info = await redis.info("persistence");
    return /aof_enabled:1/.test(info) && /aof_rewrite_in_progress:0/.test(info);
  });
}

/** Kills `handle` with SIGKILL and starts it again on the same data directory. */
export async function crash(handle: ServiceHandle): Promise<void> {
  await handle.kill();
  await handle.start();
}

async function writeBatch(redis: Redis, prefix: string, count: number): Promise<void> {
  for (let i = 0; i < count; i++) await redis.set(`${prefix}:${i}`, i);
}

/**
 * Writes keys into the Redis behind `handle` (a server of our own: it gets
 * killed) with the given persistence, crashes it, and counts the survivors.
 * For "aof from startup", `handle` must have been started with `AOF_FLAGS`.
 */
export async function redisAfterCrash(
  handle: ServiceHandle,
  persistence: RedisPersistence,
  keysPerBatch = 100,
): Promise<Batch[]> {
  const prefix = uniquePrefix("crash");
  const names =
    persistence === "snapshot" ? ["in the snapshot", "after the snapshot"] : ["acknowledged"];
  const before = connectRedis(handle.url);
  try {
    if (persistence === "aof switched on at runtime") await switchOnAofAtRuntime(before);
    await writeBatch(before, `${prefix}:0`, keysPerBatch);
    if (persistence === "snapshot") {
      await before.save();
      await writeBatch(before, `${prefix}:1`, keysPerBatch);
    }
  } finally {
    quitRedis(before);
  }
  await crash(handle);
  const after = connectRedis(handle.url);
  try {
    return await Promise.all(
      names.map(async (name, batch) => {
        const keys = Array.from({ length: keysPerBatch }, (_, i) => `${prefix}:${batch}:${i}`);
        const survived = await after.exists(...keys);
        return { name, written: keysPerBatch, survived };
      }),
    );
  } finally {
    quitRedis(after);
  }
}

// memcached has no setting to turn on: it keeps items in RAM only, by
// design, and a restarted memcached is an empty one. (Since 1.5.18, `-e`
// with a file on a RAM disk keeps the cache across a *graceful* restart,
// SIGUSR1; a crash or a reboot still loses it.)
/** Writes keys into the memcached behind `handle`, crashes it, and counts the survivors. */
export async function memcachedAfterCrash(handle: ServiceHandle, keys = 100): Promise<Batch> {
  const prefix = uniquePrefix("crash");
  const before = connectMemcached(handle.url);
  try {
    for (let i = 0; i < keys; i++) await before.set(`${prefix}:${i}`, String(i));
  } finally {
    before.shutdown();
  }
  await crash(handle);
  const after = connectMemcached(handle.url);
  try {
    let survived = 0;
    for (let i = 0; i < keys; i++) if (await after.get(`${prefix}:${i}`)) survived++;
    return { name: "acknowledged", written: keys, survived };
  } finally {
    after.shutdown();
  }
}
