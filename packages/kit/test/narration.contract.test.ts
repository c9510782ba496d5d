import { describe, expect, it } from "@jest/globals";
import { CaptureRenderer, JsonRenderer, Narrator } from "../src/index.js";

describe("narration", () => {
  it("when a demo narrates with --json, then every line is one object with t and type", () => {
    const lines: string[] = [];
    const narrator = new Narrator(new JsonRenderer((l) => lines.push(l)));
    narrator.state("breaker", "closed", "open");
    narrator.metric("latency", 3, "ms");
    narrator.claim("fails fast", true);
    const parsed = lines
      .join("")
      .trimEnd()
      .split("\n")
      .map((l) => JSON.parse(l));
    expect(parsed).toEqual([
      { t: expect.any(Number), type: "state", actor: "breaker", from: "closed", to: "open" },
      { t: expect.any(Number), type: "metric", name: "latency", value: 3, unit: "ms" },
      { t: expect.any(Number), type: "claim", text: "fails fast", holds: true },
    ]);
  });

  it("when events are captured, then a test can read them by type", () => {
    const capture = new CaptureRenderer();
    new Narrator(capture).say("hello");
    expect(capture.ofType("say")).toEqual([{ t: expect.any(Number), type: "say", text: "hello" }]);
  });
});
