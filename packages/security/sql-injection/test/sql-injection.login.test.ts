import { describe, expect, it } from "@jest/globals";
import { LOGIN_BYPASS } from "../src/attacks.js";
import { shopPerFile } from "./shop-fixture.js";

describe("authentication bypass", () => {
  const t = shopPerFile("sqli_login");

  it("when the right password is given, then both apps log the user in, and a wrong one is refused", async () => {
    // Arrange
    const password = t.shop.passwords.alice;

    // Act
    const replies = await Promise.all([
      t.vulnerable.login("alice", password),
      t.safe.login("alice", password),
      t.vulnerable.login("alice", "not-her-password"),
      t.safe.login("alice", "not-her-password"),
    ]);

    // Assert
    expect(replies.map((r) => r.status)).toEqual([200, 200, 401, 401]);
    expect(replies[0]!.body.user?.username).toBe("alice");
    expect(replies[1]!.body.user?.username).toBe("alice");
  });

  it("when the username is ' OR '1'='1' --, then the vulnerable app logs the attacker in as the first user, the admin", async () => {
    // Act
    const reply = await t.vulnerable.login(LOGIN_BYPASS, "any password at all");

    // Assert
    expect(reply.status).toBe(200);
    expect(reply.body.user).toMatchObject({ username: "admin", is_admin: true });
  });

  it("when the same username is sent to the safe app, then it is just a name nobody has: 401", async () => {
    // Act
    const reply = await t.safe.login(LOGIN_BYPASS, "any password at all");

    // Assert
    expect(reply.status).toBe(401);
    expect(reply.body.user).toBeUndefined();
  });
});
