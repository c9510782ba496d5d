import { readFileSync } from "node:fs";
import { describe, expect, test } from "@jest/globals";
import { isAlive, ScriptProcess, waitUntil } from "../src/index.js";

type Event = { type: string; via?: string; n?: number };
const TICKER = new URL("./fixtures/ticker.ts", import.meta.url);

describe("ScriptProcess", () => {
  test("events arrive over IPC and as JSON lines on stdout, and next() finds them", async () => {
    await using script = new ScriptProcess<Event>(TICKER);
    await script.next((e) => e.type === "tick" && e.n === 3);
    const hellos = script.events.filter((e) => e.type === "hello").map((e) => e.via);
    expect(hellos.sort()).toEqual(["ipc", "stdout"]);
    expect(script.stdout).toContain('"type":"tick"');
  });

  test("until() rejects with the script's stderr when it exits before the event", async () => {
    const script = new ScriptProcess<Event>(TICKER, ["fail"]);
    await expect(script.next((e) => e.type === "hello")).rejects.toThrow(
      /code 3[\s\S]*asked to fail/,
    );
    expect(await script.exited).toEqual({ code: 3, signal: null });
  });

  test("pause() freezes the script and resume() thaws it", async () => {
    await using script = new ScriptProcess<Event>(TICKER);
    await script.next((e) => e.type === "tick");
    script.pause();
    await waitUntil(
      "the script is stopped",
      () => readFileSync(`/proc/${script.pid}/stat`, "utf8").split(" ")[2] === "T",
    );
    // A stopped process cannot print; what was already in the pipe drains, then nothing.
    await new Promise((resolve) => setTimeout(resolve, 50));
    const frozenAt = script.events.length;
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(script.events.length).toBe(frozenAt);
    script.resume();
    await script.until((events) => events.length > frozenAt);
  });

  test("kill() is a crash: SIGKILL, and the process is gone when it resolves", async () => {
    const script = new ScriptProcess<Event>(TICKER);
    await script.next((e) => e.type === "tick");
    expect(await script.kill()).toEqual({ code: null, signal: "SIGKILL" });
    expect(isAlive(script.pid)).toBe(false);
  });

  test("send() reaches the script over IPC", async () => {
    const script = new ScriptProcess<Event>(TICKER);
    await script.next((e) => e.type === "tick");
    script.send({ type: "stop" });
    expect(await script.exited).toEqual({ code: 0, signal: null });
  });
});
