import { describe, expect, it } from "@jest/globals";
import { services } from "@playground/kit";
import { connectMemcached, uniquePrefix } from "../src/clients.js";
import { leaderboardRace, type Strategy } from "../src/race.js";
import { memcachedIncrement } from "../src/redis-vs-memcached.js";

const PLAYERS = ["ann", "bob", "cyd"];

/** Four clients, each adding 60 single points, on the shared server the strategy needs. */
async function race(strategy: Strategy) {
  const server = strategy.startsWith("redis") ? await services.redis() : await services.memcached();
  return leaderboardRace({
    strategy,
    url: server.url,
    board: uniquePrefix("board"),
    clients: 4,
    pointsPerClient: 60,
    players: PLAYERS,
  });
}

describe("a leaderboard updated by concurrent clients", () => {
  it("when concurrent clients add points with ZINCRBY, then Redis keeps every point and ranks the players itself", async () => {
    // Arrange, Act
    const result = await race("redis ZINCRBY");

    // Assert
    expect(result.lost).toBe(0);
    expect(result.retries).toBe(0);
    expect(result.ranking).toHaveLength(3);
    expect(result.ranking).toEqual(
      expect.arrayContaining(PLAYERS.map((player) => ({ player, points: 80 }))),
    );
  });

  it("when concurrent clients add points to a memcached board with get and set, then updates are silently lost", async () => {
    // Arrange, Act
    const result = await race("memcached get + set");

    // Assert
    expect(result.acknowledged).toBe(240);
    expect(result.lost).toBeGreaterThan(0);
  });

  it("when concurrent clients add points to a memcached board with gets and cas, then every point is kept at the cost of retries", async () => {
    // Arrange, Act
    const result = await race("memcached gets + cas");

    // Assert
    expect(result.lost).toBe(0);
    expect(result.ranking).toHaveLength(3);
    expect(result.ranking).toEqual(
      expect.arrayContaining(PLAYERS.map((player) => ({ player, points: 80 }))),
    );
    expect(result.retries).toBeGreaterThan(0);
  });

  it("when concurrent clients increment a memcached counter with incr, then no increment is lost", async () => {
    // Arrange
    const memcached = await services.memcached();
    const clients = Array.from({ length: 4 }, () => connectMemcached(memcached.url));
    const key = uniquePrefix("hits");

    // Act
    await Promise.all(
      clients.map(async (client) => {
        for (let i = 0; i < 60; i++) await memcachedIncrement(client, key, 1);
      }),
    );
    const { value } = await clients[0]!.get<string>(key);
    await clients[0]!.delete(key);
    for (const client of clients) client.shutdown();

    // Assert
    expect(Number(value)).toBe(240);
  });
});
