import path from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "@jest/globals";
import { concepts } from "@playground/kit";
import { cli } from "./cli-run.js";

const here = path.dirname(fileURLToPath(import.meta.url));

describe("pnpm demo", () => {
  it("when the slug is mistyped, then it exits non-zero and names the closest slug", async () => {
    const run = await cli(["demo", "circuit-breakr"]);

    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain("`circuit-breaker`");
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it("when asked for --list --json, then it prints every package with slug, title, area, questions and services", async () => {
    const run = await cli(["demo", "--list", "--json"]);

    const rows = JSON.parse(run.stdout) as Record<string, unknown>[];
    expect(rows.map((r) => r.slug).sort()).toEqual(
      concepts()
        .map((c) => c.slug)
        .sort(),
    );
    for (const row of rows)
      expect(Object.keys(row).sort()).toEqual(["area", "questions", "services", "slug", "title"]);
  });

  it("when run without a slug, then it lists concepts grouped by area with their questions", async () => {
    const run = await cli(["demo"]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/^microservices$/m);
    expect(run.stdout).toMatch(/circuit-breaker\s+Q41\s+Circuit breaker/);
  });

  it("when a demo needs a server that cannot be had, then one actionable line is printed and no stack trace", async () => {
    // No PATH: the local backend finds no memcached, and there is no Docker.
    const run = await cli(["demo", path.join(here, "fixtures/needs-memcached.ts")], {
      PATH: "/nonexistent",
      PLAYGROUND_INFRA: "local",
      PLAYGROUND_MEMCACHED_URL: "",
    });

    expect(run.code).toBe(1);
    expect(run.stderr.trim()).toBe(
      "memcached is not available (no `memcached` binary and no Docker): start Docker, or install memcached (`apt-get install memcached`), or set PLAYGROUND_MEMCACHED_URL.",
    );
  });

  it("when the demo prints --json, then every stdout line is an NDJSON event with t and type", async () => {
    const run = await cli(["demo", "circuit-breaker", "--json", "--fast"]);

    expect(run.code).toBe(0);
    const events = run.stdout
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l) as { t: unknown; type: unknown });
    expect(events.length).toBeGreaterThan(5);
    for (const e of events) {
      expect(typeof e.t).toBe("number");
      expect(["say", "event", "state", "metric", "table", "claim"]).toContain(e.type);
    }
  });
});

describe("pnpm infra", () => {
  it("when a service is brought up, then status lists it, and down leaves nothing running", async () => {
    const env = {
      PLAYGROUND_INFRA: "local",
      PLAYGROUND_CACHE_DIR: path.join(here, "..", ".cache", `infra-${process.pid}`),
    };

    const up = await cli(["infra", "up", "redis"], env);
    const url = /redis:\/\/127\.0\.0\.1:(\d+)/.exec(up.stdout);
    const status = await cli(["infra", "status"], env);
    const down = await cli(["infra", "down"], env);
    const after = await cli(["infra", "status"], env);

    expect(up.code).toBe(0);
    expect(url).not.toBeNull();
    expect(status.stdout).toContain(url![0]);
    expect(down.stdout).toContain("redis stopped");
    expect(after.stdout).toContain("no long-lived servers are running");
    const { isListening } = await import("@playground/kit");
    expect(await isListening(Number(url![1]))).toBe(false);
  });
});
