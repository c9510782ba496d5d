/**
 * An error the user can act on. The CLI prints its message alone, without a
 * stack trace, so the message must say what went wrong and what to do.
 */
export class PlaygroundError extends Error {
  override name = "PlaygroundError";
}

/** No backend could provide a server. */
export class ServiceUnavailableError extends PlaygroundError {
  override name = "ServiceUnavailableError";
}

/** A server started but never became ready, or exited while starting. */
export class ServiceStartError extends PlaygroundError {
  override name = "ServiceStartError";
}

/** A lifecycle call (stop, kill, pause…) on a server this handle does not own. */
export class SharedServiceError extends PlaygroundError {
  override name = "SharedServiceError";
}
