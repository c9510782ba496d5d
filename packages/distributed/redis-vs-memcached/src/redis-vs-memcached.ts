import type { Redis } from "ioredis";
import type { MemcacheClient } from "memcache-client";
import { memcachedReply } from "./clients.js";

// A leaderboard is the classic case where the two servers part ways. Many
// app servers add points to players at once, and we want the top N.
// Redis has a data type for it: a sorted set, kept on the server. memcached
// has one type, an opaque value under a key, so the board must travel to
// the client and back.

/** Points per player, as a memcached value holds them (JSON under one key). */
export type Scores = Record<string, number>;

/** The top of a board, highest first. */
export type Ranking = { player: string; points: number }[];

// With Redis, adding points is one command. `ZINCRBY` reads, adds and
// stores inside the server, and Redis runs one command at a time, so no
// other client can slip in between: one round trip, nothing to retry.
/** Redis: adds `points` to `player` on the sorted set `board`. */
export async function redisAddPoints(
  redis: Redis,
  board: string,
  player: string,
  points: number,
): Promise<void> {
  await redis.zincrby(board, points, player);
}

// Reading the top is server-side too: `ZREVRANGE … WITHSCORES` walks the
// set's skip list from the top and sends back only N entries, however many
// players the board holds.
/** Redis: the `n` best players of `board`. */
export async function redisTop(redis: Redis, board: string, n: number): Promise<Ranking> {
  const flat = await redis.zrevrange(board, 0, n - 1, "WITHSCORES");
  const ranking: Ranking = [];
  for (let i = 0; i < flat.length; i += 2) {
    ranking.push({ player: flat[i]!, points: Number(flat[i + 1]) });
  }
  return ranking;
}

// With memcached we read the whole board, change it in our process and
// write it back. Between our `get` and our `set`, another client may have
// written its own copy; our `set` then overwrites that update with a board
// that never saw it. Nothing fails and nothing is logged: points vanish.
/** memcached, naively: read-modify-write, which loses concurrent updates. */
export async function memcachedAddPointsNaive(
  mc: MemcacheClient,
  board: string,
  player: string,
  points: number,
): Promise<void> {
  const scores = (await mc.get<Scores>(board))?.value ?? {};
  scores[player] = (scores[player] ?? 0) + points;
  await mc.set(board, scores);
}

// memcached's answer is optimistic concurrency. `gets` returns the value
// with a CAS token, a version number the server bumps on every change;
// `cas` stores only if the token still matches and answers `EXISTS` if
// someone wrote in between. Then we read again and redo our change. `add`
// plays the same role for a board that does not exist yet.
/**
 * memcached with `gets`/`cas`: no update is lost. Returns how many times
 * another client got in first and we had to start over.
 */
export async function memcachedAddPointsCas(
  mc: MemcacheClient,
  board: string,
  player: string,
  points: number,
): Promise<number> {
  for (let retries = 0; ; retries++) {
    const current = await mc.gets<Scores>(board);
    try {
      if (!current) {
        await mc.add(board, { [player]: points });
      } else {
        current.value[player] = (current.value[player] ?? 0) + points;
        await mc.cas(board, current.value, { casUniq: current.casUniq });
      }
      return retries;
    } catch (error) {
      // `EXISTS`: the token is stale. `NOT_STORED`: `add` lost a race to create it.
      if (!["EXISTS", "NOT_STORED"].includes(memcachedReply(error))) throw error;
    }
  }
}

// Every retry is another two round trips, each carrying the whole board,
// and the more clients write the same key, the more of them retry. The top
// N is computed by us, after downloading every player's score.
/** memcached: the `n` best players, sorted in our process. */
export async function memcachedTop(mc: MemcacheClient, board: string, n: number): Promise<Ranking> {
  const scores = (await mc.get<Scores>(board))?.value ?? {};
  return Object.entries(scores)
    .map(([player, points]) => ({ player, points }))
    .sort((a, b) => b.points - a.points)
    .slice(0, n);
}

// memcached is not only get and set, though. A plain counter needs no CAS:
// `incr` adds to a decimal number inside the server, atomically, as Redis's
// `INCRBY` does. It fails with `NOT_FOUND` on a missing key, so the first
// writer creates it with `add`; losing that race is fine, we just `incr`.
/** memcached: adds `by` to the counter `key` on the server; returns the new value. */
export async function memcachedIncrement(
  mc: MemcacheClient,
  key: string,
  by: number,
): Promise<number> {
  try {
    return Number(await mc.incr(key, by));
  } catch (error) {
    if (memcachedReply(error) !== "NOT_FOUND") throw error;
    await mc.add(key, "0").catch((lost) => {
      if (memcachedReply(lost) !== "NOT_STORED") throw lost;
    });
    return Number(await mc.incr(key, by));
  }
}
