import type { Redis } from "ioredis";
import type { MemcacheClient } from "memcache-client";
import { connectMemcached, connectRedis, quitRedis } from "./clients.js";
import {
  memcachedAddPointsCas,
  memcachedAddPointsNaive,
  memcachedTop,
  type Ranking,
  redisAddPoints,
  redisTop,
} from "./redis-vs-memcached.js";

/** The three ways of keeping a leaderboard that the race compares. */
export type Strategy = "redis ZINCRBY" | "memcached get + set" | "memcached gets + cas";

export const STRATEGIES: readonly Strategy[] = [
  "redis ZINCRBY",
  "memcached get + set",
  "memcached gets + cas",
];

export interface RaceOptions {
  strategy: Strategy;
  /** The kit URL of the server the strategy needs. */
  url: string;
  /** The board's key; unique per race. */
  board: string;
  /** Concurrent clients, each on a connection of its own. */
  clients: number;
  /** Points each client adds, one at a time, spread over the players. */
  pointsPerClient: number;
  players: readonly string[];
}

export interface RaceResult {
  strategy: Strategy;
  /** Points the clients were told were added. */
  acknowledged: number;
  /** Points on the board afterwards. */
  onBoard: number;
  lost: number;
  /** CAS conflicts that sent a client back to read again. */
  retries: number;
  ranking: Ranking;
}

/**
 * Runs `clients` clients at once, each adding `pointsPerClient` single points
 * with the chosen strategy, then reads the board back and counts what stuck.
 */
export async function leaderboardRace(options: RaceOptions): Promise<RaceResult> {
  const { strategy, url, board, players } = options;
  const onRedis = strategy === "redis ZINCRBY";
  const redis: Redis[] = [];
  const mc: MemcacheClient[] = [];
  for (let i = 0; i < options.clients; i++) {
    if (onRedis) redis.push(connectRedis(url));
    else mc.push(connectMemcached(url));
  }
  try {
    const addPoint = async (client: number, player: string): Promise<number> => {
      if (strategy === "redis ZINCRBY") {
        await redisAddPoints(redis[client]!, board, player, 1);
        return 0;
      }
      if (strategy === "memcached get + set") {
        await memcachedAddPointsNaive(mc[client]!, board, player, 1);
        return 0;
      }
      return memcachedAddPointsCas(mc[client]!, board, player, 1);
    };
    let retries = 0;
    await Promise.all(
      Array.from({ length: options.clients }, async (_, client) => {
        for (let i = 0; i < options.pointsPerClient; i++) {
          // Not `retries += await …`: that reads `retries` before the await
          // and would lose the other clients' counts, the very bug we show.
          const retried = await addPoint(client, players[(client + i) % players.length]!);
          retries += retried;
        }
      }),
    );
    const ranking = onRedis
      ? await redisTop(redis[0]!, board, players.length)
      : await memcachedTop(mc[0]!, board, players.length);
    const acknowledged = options.clients * options.pointsPerClient;
    const onBoard = ranking.reduce((sum, row) => sum + row.points, 0);
    return { strategy, acknowledged, onBoard, lost: acknowledged - onBoard, retries, ranking };
  } finally {
    await (onRedis ? redis[0]!.del(board) : mc[0]!.delete(board)).catch(() => {});
    for (const client of redis) quitRedis(client);
    for (const client of mc) client.shutdown();
  }
}
