import { type DemoContext, poll } from "@playground/kit";
import type { LoadHistory } from "./load.js";

/** The message a write was refused with, or "accepted". */
export function refusal(write: Promise<unknown>): Promise<string> {
  return write.then(
    () => "accepted",
    (error: Error) => error.message,
  );
}

/** How to crash one primary and promote its replica, whatever the server. */
export interface FailoverSteps {
  /** "postgres" or "redis": the actors are "<name> primary" and "<name> replica". */
  name: string;
  /** A running write load against the primary. */
  load: LoadHistory;
  kill(): Promise<void>;
  /** The ids the replica holds, once it has applied all it received. */
  ids(): Promise<number[]>;
  /** One more write, sent to the replica. */
  write(): Promise<unknown>;
  promote(): Promise<void>;
  /** The command that promotes, for the narration. */
  how: string;
}

/** What a failover drill observed. */
export interface FailoverResult {
  /** Rows the replica had once the primary was dead. */
  had: number;
  /** Rows it served once promoted. */
  served: number;
  /** Every row it had was still there after the promotion. */
  servedAll: boolean;
  /** Before the promotion, the replica refused a write. */
  refusedBefore: boolean;
  /** After it, the replica accepted one. */
  accepted: boolean;
  /** Writes the client saw acknowledged that the new primary does not have. */
  lost: number;
}

/**
 * The demo's failover, told step by step: 200 acknowledged writes, a
 * SIGKILL, a replica that still reads but refuses writes, a promotion.
 */
export async function failoverDrill(
  ctx: Pick<DemoContext, "event" | "state">,
  steps: FailoverSteps,
): Promise<FailoverResult> {
  await poll(() => steps.load.acknowledged.length >= 200, { timeoutMs: 20_000, everyMs: 1 });
  await steps.kill();
  ctx.state(`${steps.name} primary`, "up", "killed");
  await steps.load.done;
  ctx.event(
    "client",
    "writes stopped",
    `${steps.load.acknowledged.length} acknowledged before the crash`,
  );

  const had = await steps.ids();
  const refused = await refusal(steps.write());
  ctx.event(
    `${steps.name} replica`,
    "still serves reads, still refuses writes",
    `${had.length} rows · ${refused}`,
  );

  const start = performance.now();
  await steps.promote();
  const promotedMs = performance.now() - start;
  ctx.state(`${steps.name} replica`, "replica", "primary");
  const after = await steps.ids();
  const accepted = (await refusal(steps.write())) === "accepted";
  const present = new Set(after);
  const lost = steps.load.acknowledged.filter((id) => !present.has(id)).length;
  ctx.event(
    `${steps.name} replica`,
    `promoted by ${steps.how} in ${Math.round(promotedMs)} ms`,
    `serves ${after.length} rows · new write ${accepted ? "accepted" : "refused"} · ` +
      `${lost} acknowledged writes missing`,
  );
  return {
    had: had.length,
    served: after.length,
    servedAll: had.length > 0 && had.every((id) => present.has(id)),
    refusedBefore: refused !== "accepted",
    accepted,
    lost,
  };
}
