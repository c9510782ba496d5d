/**
 * The narration contract. External tooling reads `--json` output, so these
 * shapes are fixed: every line is one object with `t` (ms since the demo
 * started) and `type`, plus the fields of that type.
 */
export type NarrationEvent =
  | { t: number; type: "say"; text: string }
  | { t: number; type: "event"; actor: string; what: string; detail?: string }
  | { t: number; type: "state"; actor: string; from: string; to: string }
  | { t: number; type: "metric"; name: string; value: number; unit: string }
  | { t: number; type: "table"; rows: TableRow[] }
  | { t: number; type: "claim"; text: string; holds: boolean };

export type TableRow = Record<string, string | number | boolean>;

export type NarrationType = NarrationEvent["type"];

/** Something that receives each event as it happens. */
export interface Renderer {
  render(event: NarrationEvent): void;
}
