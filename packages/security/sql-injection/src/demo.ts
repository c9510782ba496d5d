import { defineDemo, listen, type TableRow } from "@playground/kit";
import type { Express } from "express";
import * as attack from "./attacks.js";
import { type Reply, type ShopBody, ShopClient } from "./client.js";
import { sanitize } from "./sanitize.js";
import { Shop } from "./shop.js";
import { createSafeApp } from "./sql-injection.js";
import { createVulnerableApp } from "./vulnerable-app.js";

const SU = "vulnerable as superuser";
const WEB = "vulnerable as web role";
const SAFE = "safe";
type Target = typeof SU | typeof WEB | typeof SAFE;
type Results = Record<Target, string>;

const ADMIN_HASH = "SELECT password_hash FROM users WHERE username = 'admin'";
const short = (text: string, max = 60) => (text.length > max ? `${text.slice(0, max)}…` : text);

/** A reply in a few words: the rows that came back, or the status and error. */
function summary(r: Reply<ShopBody>, what = "rows"): string {
  if (r.status !== 200) return `${r.status} ${short(r.body.error ?? "")}`.trim();
  return `${r.body.products?.length ?? 0} ${what}`;
}

export default defineDemo({
  title: "SQL injection",
  services: ["postgres"],
  async run(ctx) {
    // One shop database, three apps over it on 127.0.0.1. The vulnerable
    // app runs twice: as the superuser (as too many apps connect) and as a
    // role granted only SELECT on products and users. The safe app uses
    // that role too. Every attack goes to all three, over real HTTP.
    const shop = await Shop.create(ctx.services.postgres.url, "sqli_demo");
    ctx.defer(() => shop[Symbol.asyncDispose]());
    const serve = async (app: Express) => {
      const server = await listen(app);
      ctx.defer(() => server.close());
      return new ShopClient(server.url);
    };
    const apps: Record<Target, ShopClient> = {
      [SU]: await serve(createVulnerableApp(shop.owner)),
      [WEB]: await serve(createVulnerableApp(shop.web)),
      [SAFE]: await serve(createSafeApp(shop.web)),
    };
    const sanitized = await serve(createVulnerableApp(shop.owner, { filter: sanitize }));
    const adminHash: string = (await shop.owner.query(ADMIN_HASH)).rows[0].password_hash;
    const rows: TableRow[] = [];

    // Each act sends one attack to every app and narrates what it made of
    // it. The superuser's app goes last, so that what it breaks (prices, a
    // table) does not show up in the other two's results.
    const act = async (
      name: string,
      request: string,
      hit: (app: ShopClient, target: Target) => Promise<string>,
    ): Promise<Results> => {
      ctx.event("attacker", name, request);
      const results = {} as Results;
      for (const target of [WEB, SAFE, SU] as const) {
        results[target] = await hit(apps[target], target);
        ctx.event(target, results[target]);
      }
      const cell = (target: Target) => short(results[target], 40);
      rows.push({ attack: name, [SU]: cell(SU), [WEB]: cell(WEB), [SAFE]: cell(SAFE) });
      await ctx.sleep(300);
      return results;
    };

    ctx.say("The username closes the literal and comments out the password check.");
    const login = await act(
      "login bypass",
      `POST /login username=${attack.LOGIN_BYPASS}`,
      async (app) => {
        const r = await app.login(attack.LOGIN_BYPASS, "wrong");
        return r.body.user ? `logged in as ${r.body.user.username}` : summary(r);
      },
    );

    ctx.say("UNION SELECT appends rows from the users table to a search, shaped like products.");
    const union = await act("UNION SELECT", `GET /search?q=${attack.UNION_HASHES}`, async (app) =>
      summary(await app.search(attack.UNION_HASHES), "rows with a password hash"),
    );

    ctx.say(
      "Blind: `1 AND <condition>` answers 200 or 404, and binary search turns that bit into text.",
    );
    const readByAnswer = {} as Results;
    const boolean = await act(
      "blind, boolean",
      "GET /products/1 AND ascii(substr(hash, i, 1)) > n",
      async (app, target) => {
        const read = await attack.extract(attack.byAnswer(app), ADMIN_HASH);
        readByAnswer[target] = read.text;
        if (target === SU) ctx.metric("requests to read the admin's hash", read.questions, "");
        return read.text
          ? `read ${read.text.length} chars in ${read.questions} requests`
          : "read nothing";
      },
    );

    // The same product comes back either way; only the time differs. We
    // ask each "yes" twice before believing it, so load cannot fake one.
    ctx.say("Blind by time: the answer never changes, but pg_sleep runs when the condition holds.");
    const seconds = ctx.fast ? 0.1 : 0.2;
    const chars = ctx.fast ? 1 : 2;
    const salt = `SELECT substr(password_hash, 8, ${chars}) FROM users WHERE username = 'admin'`;
    const readByTime = {} as Results;
    const timed = await act(
      "blind, time",
      `GET /products/1 AND … pg_sleep(${seconds}) when true`,
      async (app, target) => {
        const read = await attack.extract(attack.byTime(app, seconds), salt, chars);
        readByTime[target] = read.text;
        return read.text ? `read "${read.text}" in ${read.questions} requests` : "read nothing";
      },
    );
    const normal: number[] = [];
    for (let i = 0; i < 5; i++) normal.push((await apps[SU].product("1")).ms);
    const yes = await apps[SU].product(attack.sleepIf("1=1", seconds));
    const no = await apps[SU].product(attack.sleepIf("1=2", seconds));
    const sameAnswer = JSON.stringify(yes.body) === JSON.stringify(no.body);
    const median = normal.sort((a, b) => a - b)[2]!;
    ctx.metric("a 'yes' by time / a normal answer", Number((yes.ms / median).toFixed(1)), "x");

    ctx.say(
      "A hand-written sanitizer (double every quote, strip SQL keywords) in front of the vulnerable app.",
    );
    const quoted = await sanitized.login(attack.LOGIN_BYPASS, "wrong");
    ctx.event(
      "sanitized",
      `login bypass: ${summary(quoted)}`,
      "escaping holds inside a quoted literal",
    );
    ctx.event("attacker", "sanitizer bypass", `GET /products/${attack.SANITIZER_BYPASS}`);
    const numeric = await sanitized.product(attack.SANITIZER_BYPASS);
    const bypassed = numeric.body.product?.name === adminHash;
    ctx.event(
      "sanitized",
      bypassed ? `admin's hash: ${short(adminHash, 20)}` : summary(numeric),
      "a number needs no quote; $$admin$$ is a string without one; UNIunionON → UNION",
    );

    ctx.say(
      "ORDER BY cannot take a parameter, so the sort was pasted in; the error message does the rest.",
    );
    const sort = await act(
      "ORDER BY expression",
      `GET /products?sort=${attack.SORT_LEAKS_HASHES}`,
      async (app) => {
        const r = await app.products(attack.SORT_LEAKS_HASHES);
        const leaked = r.body.error?.match(/\$2a\$/g)?.length ?? 0;
        return leaked > 0 ? `its error message holds ${leaked} hashes` : summary(r);
      },
    );

    ctx.say(
      "Stacked statements: the simple query protocol runs them all; the extended one (any parameter) refuses.",
    );
    const extended = await act(
      "stacked, extended protocol",
      `GET /products?sort=${attack.SORT_THEN_DROP}`,
      async (app) => summary(await app.products(attack.SORT_THEN_DROP)),
    );
    const cheap = "1; UPDATE products SET price_cents = 1";
    const simple = await act("stacked, simple protocol", `GET /products/${cheap}`, async (app) => {
      const r = await app.product(cheap);
      const { rows: cents } = await shop.owner.query(
        "SELECT count(*)::int AS n FROM products WHERE price_cents = 1",
      );
      return cents[0].n > 0 ? "ran: every price is now 1 cent" : summary(r);
    });

    ctx.say("Least privilege: the same injections, limited by the role behind the app.");
    const cards = await act(
      "read payment_cards",
      `GET /search?q=${attack.UNION_CARDS}`,
      async (app) => summary(await app.search(attack.UNION_CARDS), "card numbers"),
    );
    const shell = await act(
      "run a shell command",
      `GET /search?q=${attack.SHELL_INTO_PRODUCTS}`,
      async (app) => {
        const r = await app.search(attack.SHELL_INTO_PRODUCTS);
        const { rows: ran } = await shop.owner.query(
          "SELECT name FROM products WHERE name = 'postgres'",
        );
        return ran.length > 0 ? "the shell ran `id -un`: postgres" : summary(r);
      },
    );
    const drop = await act("DROP TABLE", `GET /search?q=${attack.DROP_PRODUCTS}`, async (app) => {
      const r = await app.search(attack.DROP_PRODUCTS);
      const { rows: left } = await shop.owner.query("SELECT to_regclass('products') AS t");
      return left[0].t === null ? "products dropped" : summary(r);
    });

    ctx.table(rows);
    const all = [login, union, boolean, timed, sort, extended, simple, cards, shell, drop];
    ctx.claim(
      "' OR '1'='1' -- logged in as the admin on the vulnerable app; the safe app answered 401",
      login[SU] === "logged in as admin" && login[SAFE].startsWith("401"),
    );
    ctx.claim(
      "UNION SELECT read every password hash through the vulnerable search",
      union[SU] === "3 rows with a password hash",
    );
    ctx.claim(
      "a 200/404 bit read the admin's whole hash through the vulnerable app",
      readByAnswer[SU] === adminHash && readByAnswer[WEB] === adminHash,
    );
    ctx.claim(
      "time alone read the same characters, from answers that never changed",
      readByTime[SU] === adminHash.slice(7, 7 + chars) && sameAnswer,
    );
    ctx.claim(
      "quote escaping stopped the quoted login bypass, but a number with $$dollar quotes$$ and UNIunionON went through it and the blacklist",
      quoted.status === 401 && bypassed,
    );
    ctx.claim(
      "the pasted sort leaked every hash in one error message; the allow-list answered 400",
      sort[SU] === "its error message holds 3 hashes" && sort[SAFE].startsWith("400"),
    );
    ctx.claim(
      "the extended protocol refused a stacked statement; the simple protocol ran one",
      extended[SU].includes("cannot insert multiple commands") && simple[SU].startsWith("ran"),
    );
    ctx.claim(
      "as the web role, the injections could not read the cards, run a program or drop a table; as superuser they did all three",
      [cards, shell, drop].every((r) => r[WEB].startsWith("500") && !r[SU].startsWith("500")),
    );
    ctx.claim(
      "as the web role, the injections still read what that role may read: the users' hashes",
      union[WEB] === "3 rows with a password hash",
    );
    ctx.claim(
      "the safe app turned every attack away or answered it as harmless text",
      all.every((r) => /^(4\d\d|0 |read nothing)/.test(r[SAFE])),
    );
  },
});
