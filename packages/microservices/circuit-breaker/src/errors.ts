/** The breaker turned a call away without calling the dependency. */
export class BreakerRejectedError extends Error {
  override name = "BreakerRejectedError";
}

/** The circuit is open: calls fail fast until `openMs` has passed. */
export class BreakerOpenError extends BreakerRejectedError {
  override name = "BreakerOpenError";

  constructor(
    readonly breaker: string,
    readonly retryInMs: number,
  ) {
    super(
      `Circuit "${breaker}" is open: failed fast without calling the dependency. ` +
        `It lets a probe through in ${Math.ceil(retryInMs)} ms; serve a fallback until then.`,
    );
  }
}

/** The circuit is half-open and every probe slot is taken. */
export class ProbeLimitError extends BreakerRejectedError {
  override name = "ProbeLimitError";

  constructor(
    readonly breaker: string,
    readonly probes: number,
  ) {
    super(
      `Circuit "${breaker}" is half-open and its ${probes} probe slot(s) are in use: ` +
        "failed fast without calling the dependency. Retry once the probe has settled.",
    );
  }
}

/** The call took longer than `timeoutMs`; it was aborted and counted as a failure. */
export class CallTimeoutError extends Error {
  override name = "CallTimeoutError";

  constructor(
    readonly breaker: string,
    readonly timeoutMs: number,
  ) {
    super(
      `Call through circuit "${breaker}" took longer than ${timeoutMs} ms: aborted it and ` +
        "counted a failure. Raise timeoutMs only if the dependency is meant to be this slow.",
    );
  }
}
