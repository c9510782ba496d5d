import type { NarrationEvent, Renderer, TableRow } from "./events.js";

/**
 * What a demo talks through instead of `console.log`. Every call becomes one
 * {@link NarrationEvent}, stamped with the milliseconds since the narrator
 * was created, and handed to each renderer.
 */
export class Narrator {
  readonly #renderers: Renderer[];
  readonly #start = performance.now();

  constructor(...renderers: Renderer[]) {
    this.#renderers = renderers;
  }

  /** Milliseconds since the narration started. */
  now(): number {
    return Math.round(performance.now() - this.#start);
  }

  say(text: string): void {
    this.#emit({ t: this.now(), type: "say", text });
  }

  event(actor: string, what: string, detail?: string): void {
    this.#emit(
      detail === undefined
        ? { t: this.now(), type: "event", actor, what }
        : { t: this.now(), type: "event", actor, what, detail },
    );
  }

  state(actor: string, from: string, to: string): void {
    this.#emit({ t: this.now(), type: "state", actor, from, to });
  }

  metric(name: string, value: number, unit: string): void {
    this.#emit({ t: this.now(), type: "metric", name, value, unit });
  }

  table(rows: TableRow[]): void {
    this.#emit({ t: this.now(), type: "table", rows });
  }

  /** States a claim from the answer and whether this run observed it. */
  claim(text: string, holds: boolean): void {
    this.#emit({ t: this.now(), type: "claim", text, holds });
  }

  #emit(event: NarrationEvent): void {
    for (const renderer of this.#renderers) renderer.render(event);
  }
}
