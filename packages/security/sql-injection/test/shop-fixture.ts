import { afterAll, beforeAll } from "@jest/globals";
import { type Listening, listen, services } from "@playground/kit";
import type { Express } from "express";
import { ShopClient } from "../src/client.js";
import { Shop } from "../src/shop.js";
import { createSafeApp } from "../src/sql-injection.js";
import { createVulnerableApp } from "../src/vulnerable-app.js";

/**
 * A shop of the test file's own on the shared PostgreSQL, with the
 * vulnerable app connected as the owner (a superuser, as too many apps are)
 * and the safe app connected as the least-privileged web role, both over
 * real HTTP on 127.0.0.1. `serve` starts more apps; dispose closes them all.
 */
export interface TestShop {
  shop: Shop;
  vulnerable: ShopClient;
  safe: ShopClient;
  serve(app: Express): Promise<ShopClient>;
  tableExists(name: string): Promise<boolean>;
  [Symbol.asyncDispose](): Promise<void>;
}

export async function openShop(
  prefix: string,
  settings: Record<string, string | number> = {},
): Promise<TestShop> {
  const server = await services.postgres();
  const shop = await Shop.create(server.url, prefix, settings);
  const servers: Listening[] = [];
  const serve = async (app: Express) => {
    const listening = await listen(app);
    servers.push(listening);
    return new ShopClient(listening.url);
  };
  return {
    shop,
    vulnerable: await serve(createVulnerableApp(shop.owner)),
    safe: await serve(createSafeApp(shop.web)),
    serve,
    async tableExists(name) {
      const { rows } = await shop.owner.query("SELECT to_regclass($1) IS NOT NULL AS found", [
        name,
      ]);
      return rows[0].found === true;
    },
    async [Symbol.asyncDispose]() {
      await Promise.all(servers.map((s) => s.close()));
      await shop[Symbol.asyncDispose]();
    },
  };
}

/**
 * A shop for the enclosing describe block: opened in `beforeAll`, disposed
 * in `afterAll`. The handle can be declared up front and used in any test.
 */
export function shopPerFile(
  prefix: string,
  settings: Record<string, string | number> = {},
): TestShop {
  let opened: TestShop | undefined;
  beforeAll(async () => {
    opened = await openShop(prefix, settings);
  });
  afterAll(async () => {
    await opened?.[Symbol.asyncDispose]();
  });
  const current = () => {
    if (!opened) throw new Error("the shop opens in beforeAll: use it inside a hook or a test");
    return opened;
  };
  return {
    get shop() {
      return current().shop;
    },
    get vulnerable() {
      return current().vulnerable;
    },
    get safe() {
      return current().safe;
    },
    serve: (app) => current().serve(app),
    tableExists: (name) => current().tableExists(name),
    [Symbol.asyncDispose]: () => current()[Symbol.asyncDispose](),
  };
}

/** The error a query or request rejected with, or undefined if it succeeded. */
export const errorOf = (work: Promise<unknown>): Promise<(Error & { code?: string }) | undefined> =>
  work.then(
    () => undefined,
    (error: Error & { code?: string }) => error,
  );
