import { styleText } from "node:util";
import type { NarrationEvent, NarrationType, Renderer, TableRow } from "./events.js";

type Colour = Parameters<typeof styleText>[0];

/** `--json`: one JSON object per line, nothing else on stdout. */
export class JsonRenderer implements Renderer {
  constructor(private readonly write: (line: string) => void = (l) => process.stdout.write(l)) {}

  render(event: NarrationEvent): void {
    this.write(`${JSON.stringify(event)}\n`);
  }
}

/** Keeps every event in memory so a test can assert on what a demo did. */
export class CaptureRenderer implements Renderer {
  readonly events: NarrationEvent[] = [];

  render(event: NarrationEvent): void {
    this.events.push(event);
  }

  ofType<T extends NarrationType>(type: T): Extract<NarrationEvent, { type: T }>[] {
    return this.events.filter((e): e is Extract<NarrationEvent, { type: T }> => e.type === type);
  }

  metric(name: string): number | undefined {
    return this.ofType("metric").find((m) => m.name === name)?.value;
  }
}

const ACTOR_COLOURS: Colour[] = ["cyan", "magenta", "yellow", "blue", "green", "red"];

/** The terminal timeline: relative timestamps and one colour per actor. */
export class TerminalRenderer implements Renderer {
  readonly #actors = new Map<string, Colour>();

  constructor(
    private readonly write: (line: string) => void = (l) => process.stdout.write(l),
    private readonly colour: boolean = process.stdout.isTTY === true && !process.env.NO_COLOR,
  ) {}

  render(event: NarrationEvent): void {
    const stamp = this.#paint("gray", `${(event.t / 1000).toFixed(2).padStart(7)}s`);
    for (const line of this.#lines(event)) this.write(`${stamp}  ${line}\n`);
  }

  #lines(event: NarrationEvent): string[] {
    switch (event.type) {
      case "say":
        return [this.#paint("bold", event.text)];
      case "event": {
        const detail = event.detail ? this.#paint("gray", `  ${event.detail}`) : "";
        return [`${this.#actor(event.actor)} ${event.what}${detail}`];
      }
      case "state":
        return [`${this.#actor(event.actor)} ${event.from} → ${this.#paint("bold", event.to)}`];
      case "metric":
        return [
          `${this.#paint("gray", "metric")} ${event.name} = ${this.#paint("bold", `${event.value} ${event.unit}`.trim())}`,
        ];
      case "claim":
        return [
          `${event.holds ? this.#paint("green", "✔ holds") : this.#paint("red", "✘ fails")}  ${event.text}`,
        ];
      case "table":
        return formatTable(event.rows);
    }
  }

  #actor(name: string): string {
    let colour = this.#actors.get(name);
    if (!colour) {
      colour = ACTOR_COLOURS[this.#actors.size % ACTOR_COLOURS.length]!;
      this.#actors.set(name, colour);
    }
    return this.#paint(colour, `[${name}]`);
  }

  #paint(colour: Colour, text: string): string {
    return this.colour ? styleText(colour, text) : text;
  }
}

/** Plain aligned columns; the header is the union of every row's keys. */
export function formatTable(rows: TableRow[]): string[] {
  if (rows.length === 0) return [];
  const columns = [...new Set(rows.flatMap((row) => Object.keys(row)))];
  const cells = rows.map((row) => columns.map((c) => String(row[c] ?? "")));
  const widths = columns.map((c, i) => Math.max(c.length, ...cells.map((r) => r[i]!.length)));
  const line = (values: string[]) =>
    values
      .map((v, i) => v.padEnd(widths[i]!))
      .join("  ")
      .trimEnd();
  return [line(columns), line(widths.map((w) => "─".repeat(w))), ...cells.map(line)];
}
