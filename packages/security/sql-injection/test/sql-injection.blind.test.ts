import { beforeAll, describe, expect, it } from "@jest/globals";
import { byAnswer, byTime, extract, sleepIf } from "../src/attacks.js";
import { shopPerFile } from "./shop-fixture.js";

const ADMIN_HASH = "SELECT password_hash FROM users WHERE username = 'admin'";

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

describe("blind injection", () => {
  const t = shopPerFile("sqli_blind");
  let adminHash: string;

  beforeAll(async () => {
    const { rows } = await t.shop.owner.query(ADMIN_HASH);
    adminHash = rows[0].password_hash;
  });

  describe("boolean-based", () => {
    it("when a true or a false condition is appended to a product id, then the vulnerable app answers 200 or 404", async () => {
      // Act
      const [yes, no] = await Promise.all([
        t.vulnerable.product("1 AND 1=1"),
        t.vulnerable.product("1 AND 1=2"),
      ]);

      // Assert
      expect(yes.status).toBe(200);
      expect(no.status).toBe(404);
    });

    it("when that one bit is asked a few hundred times, then it reads the admin's whole password hash", async () => {
      // Act
      const read = await extract(byAnswer(t.vulnerable), ADMIN_HASH);

      // Assert
      expect(read.text).toBe(adminHash);
      expect(read.questions).toBeLessThan(8 * (adminHash.length + 1));
    });

    it("when the same questions are sent to the safe app, then true and false get the same 400 and nothing is read", async () => {
      // Act
      const [yes, no] = await Promise.all([
        t.safe.product("1 AND 1=1"),
        t.safe.product("1 AND 1=2"),
      ]);
      const read = await extract(byAnswer(t.safe), ADMIN_HASH);

      // Assert
      expect([yes.status, no.status]).toEqual([400, 400]);
      expect(read.text).toBe("");
    });
  });

  describe("time-based", () => {
    it("when a condition makes pg_sleep run, then the vulnerable app gives the same answer, only many times slower", async () => {
      // Arrange: a normal request's time, measured now, on this machine.
      const normal: number[] = [];
      for (let i = 0; i < 5; i++) normal.push((await t.vulnerable.product("1")).ms);

      // Act
      const slept = await t.vulnerable.product(sleepIf("1=1", 1));
      const notSlept = await t.vulnerable.product(sleepIf("1=2", 1));

      // Assert
      expect(slept.body).toEqual(notSlept.body);
      expect(slept.status).toBe(200);
      expect(slept.ms / median(normal)).toBeGreaterThan(5);
      expect(slept.ms / notSlept.ms).toBeGreaterThan(3);
    });

    it("when the same sleeping payload is sent to the safe app, then it is refused without sleeping", async () => {
      // Act
      const vulnerable = await t.vulnerable.product(sleepIf("1=1", 1));
      const safe = await t.safe.product(sleepIf("1=1", 1));

      // Assert
      expect(safe.status).toBe(400);
      expect(vulnerable.ms / safe.ms).toBeGreaterThan(5);
    });

    it("when time is the only side channel, then the attacker still reads the hash, character by character", async () => {
      // Act: two characters of the salt, at 0.2 s per "yes".
      const read = await extract(
        byTime(t.vulnerable, 0.2),
        `SELECT substr(password_hash, 8, 2) FROM users WHERE username = 'admin'`,
        2,
      );

      // Assert
      expect(read.text).toBe(adminHash.slice(7, 9));
    });
  });
});
