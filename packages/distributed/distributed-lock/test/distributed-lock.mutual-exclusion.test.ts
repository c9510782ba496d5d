import { describe, expect, it } from "@jest/globals";
import { services } from "@playground/kit";
import { counterRace } from "../src/counter-race.js";

// Ten real processes, each adding 1 to a PostgreSQL counter by reading it,
// waiting `gapMs`, and writing it back. Without a lock the reads overlap and
// increments vanish; every lock we build must bring the loss to exactly 0.
const GAP_MS = 2;
// Ten processes and a thousand locked increments take long on a loaded 2-core machine.
const SLOW = 300_000;

describe("a shared counter incremented by 10 worker processes", () => {
  it(
    "when there is no lock, then concurrent read-modify-writes lose updates",
    async () => {
      // Arrange
      await using postgres = await services.postgres();

      // Act
      const [race] = await counterRace({
        locks: ["none"],
        workers: 10,
        times: 100,
        gapMs: GAP_MS,
        postgres: postgres.url,
      });

      // Assert: with 10 writers overlapping, far more than a few are lost.
      expect(race!.expected).toBe(1000);
      expect(race!.lost).toBeGreaterThan(100);
    },
    SLOW,
  );

  it(
    "when each increment holds the Redis lock, then 100 increments from each of 10 workers lose none",
    async () => {
      // Arrange
      await using postgres = await services.postgres();
      await using redis = await services.redis();

      // Act
      const [race] = await counterRace({
        locks: ["redis"],
        workers: 10,
        times: 100,
        gapMs: GAP_MS,
        postgres: postgres.url,
        redis: redis.url,
      });

      // Assert
      expect(race!.actual).toBe(1000);
      expect(race!.lost).toBe(0);
    },
    SLOW,
  );

  it(
    "when each increment holds the ZooKeeper lock, then no increment is lost",
    async () => {
      // Arrange
      await using postgres = await services.postgres();
      await using zookeeper = await services.zookeeper();

      // Act
      const [race] = await counterRace({
        locks: ["zookeeper"],
        workers: 10,
        times: 20,
        gapMs: GAP_MS,
        postgres: postgres.url,
        zookeeper: `${zookeeper.host}:${zookeeper.port}`,
      });

      // Assert
      expect(race!.actual).toBe(200);
      expect(race!.lost).toBe(0);
    },
    SLOW,
  );

  it(
    "when each increment holds a PostgreSQL advisory lock, then no increment is lost",
    async () => {
      // Arrange
      await using postgres = await services.postgres();

      // Act
      const [race] = await counterRace({
        locks: ["advisory"],
        workers: 10,
        times: 20,
        gapMs: GAP_MS,
        postgres: postgres.url,
      });

      // Assert
      expect(race!.actual).toBe(200);
      expect(race!.lost).toBe(0);
    },
    SLOW,
  );
});
