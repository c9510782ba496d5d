import { readFile } from "node:fs/promises";
import path from "node:path";
import { defineDemo, listen, type TableRow } from "@playground/kit";
import express from "express";
import { createSite, PUBLIC_ROOT, SECRET_FILE } from "./express-static.js";
import { measure } from "./load.js";
import { naiveStatic } from "./naive-static.js";
import { rawGet } from "./raw-get.js";

export default defineDemo({
  title: "Serving static files",
  services: [],
  async run(ctx) {
    ctx.say(
      "express.static serving fixtures/public on 127.0.0.1; a browser-like client asks for files.",
    );
    const site = await listen(createSite());
    ctx.defer(() => site.close());
    const rows: TableRow[] = [];
    const show = (
      label: string,
      r: { status: number; headers: Record<string, unknown>; body: Buffer },
    ) => {
      const h = (name: string) => String(r.headers[name] ?? "-");
      ctx.event("client", `${label} → ${r.status}`, `${r.body.length} B, ${h("content-type")}`);
      rows.push({
        request: label,
        status: r.status,
        bytes: r.body.length,
        "cache-control": h("cache-control"),
      });
    };

    // 1. The first visit: the whole file, with its validators.
    const first = await rawGet(site.url, "/index.html");
    show("GET /index.html", first);
    ctx.event(
      "server",
      "validators",
      `ETag ${first.headers.etag}, Last-Modified ${first.headers["last-modified"]}`,
    );
    await ctx.sleep(250);

    // 2. The next visit: `max-age=0` makes the browser ask again, but with the
    // validator, and an unchanged file costs an empty 304.
    const revalidated = await rawGet(site.url, "/index.html", {
      "If-None-Match": String(first.headers.etag),
    });
    show("GET /index.html with If-None-Match", revalidated);
    ctx.metric("body bytes saved by the 304", first.body.length - revalidated.body.length, "B");
    await ctx.sleep(250);

    // 3. A fingerprinted asset, cached for a year and never revalidated.
    const asset = await rawGet(site.url, "/assets/app.3f9a2c.js");
    show("GET /assets/app.3f9a2c.js", asset);
    await ctx.sleep(250);

    // 4. A range: a video player or a resumed download asks for a slice.
    const range = await rawGet(site.url, "/alphabet.txt", { Range: "bytes=0-4" });
    show("GET /alphabet.txt, Range bytes=0-4", range);
    ctx.event(
      "server",
      "partial content",
      `Content-Range ${range.headers["content-range"]}, body "${range.body}"`,
    );
    await ctx.sleep(250);

    // 5. Climbing out of the root, with the raw paths a browser would never send.
    ctx.say(
      "Now an attacker's client, sending raw paths; fixtures/secret.txt sits beside the root.",
    );
    const secret = (await readFile(SECRET_FILE, "utf8")).trim();
    const attacks = [
      "/../secret.txt",
      "/%2e%2e/secret.txt",
      "/..%2fsecret.txt",
      "/%252e%252e%252fsecret.txt",
    ];
    const strict = await listen(createSite({ fallthrough: false }));
    ctx.defer(() => strict.close());
    const naiveApp = express();
    naiveApp.use(naiveStatic(PUBLIC_ROOT));
    const naive = await listen(naiveApp);
    ctx.defer(() => naive.close());
    let staticLeaks = 0;
    let naiveLeaks = 0;
    for (const attack of attacks) {
      const [fromSite, fromStrict, fromNaive] = await Promise.all([
        rawGet(site.url, attack),
        rawGet(strict.url, attack),
        rawGet(naive.url, attack),
      ]);
      if (fromSite.body.includes(secret) || fromStrict.body.includes(secret)) staticLeaks++;
      if (fromNaive.body.includes(secret)) naiveLeaks++;
      ctx.event(
        "attacker",
        `GET ${attack}`,
        `express.static ${fromSite.status} (fallthrough off: ${fromStrict.status}); hand-rolled join: ${fromNaive.status}${fromNaive.body.includes(secret) ? ", SECRET LEAKED" : ""}`,
      );
      rows.push({
        request: `raw GET ${attack}`,
        status: fromSite.status,
        bytes: fromSite.body.length,
        "cache-control": "-",
      });
    }
    const dotfile = await rawGet(site.url, "/.env");
    show("GET /.env", dotfile);
    await ctx.sleep(250);

    // 6. How fast is it? The same bytes from express.static (stat, open,
    // read per request) and from memory, each for the same short burst.
    ctx.say("Throughput: /style.css from express.static, then the same bytes from memory.");
    const css = await readFile(path.join(PUBLIC_ROOT, "style.css"));
    const memoryApp = express();
    memoryApp.get("/style.css", (_req, res) => {
      res.type("css").send(css);
    });
    const memory = await listen(memoryApp);
    ctx.defer(() => memory.close());
    const load = { durationMs: ctx.fast ? 250 : 2000, concurrency: 8, signal: ctx.signal };
    const fromDisk = await measure(`${site.url}/style.css`, load);
    ctx.metric("express.static requests/s", fromDisk.perSecond, "req/s");
    const fromMemory = await measure(`${memory.url}/style.css`, load);
    ctx.metric("res.send from memory requests/s", fromMemory.perSecond, "req/s");
    ctx.metric(
      "express.static relative to memory",
      Math.round((fromDisk.perSecond / fromMemory.perSecond) * 100) / 100,
      "×",
    );

    ctx.table(rows);
    ctx.claim(
      "the first GET carried an ETag and Last-Modified, and revalidating with the ETag got an empty 304",
      first.status === 200 &&
        Boolean(first.headers.etag && first.headers["last-modified"]) &&
        revalidated.status === 304 &&
        revalidated.body.length === 0,
    );
    ctx.claim(
      "the fingerprinted asset was marked immutable for a year",
      asset.headers["cache-control"] === "public, max-age=31536000, immutable",
    );
    ctx.claim(
      "a Range request got 206 with the right Content-Range and bytes",
      range.status === 206 &&
        range.headers["content-range"] === "bytes 0-4/36" &&
        range.body.toString() === "abcde",
    );
    ctx.claim(
      "no traversal path got the secret from express.static; the hand-rolled join leaked it",
      staticLeaks === 0 && naiveLeaks > 0,
    );
    ctx.claim("the dotfile was not served", dotfile.status === 404);
    ctx.claim(
      "every throughput request succeeded",
      fromDisk.failures === 0 && fromMemory.failures === 0 && fromDisk.requests > 0,
    );
  },
});
