/**
 * Runs `call` with a signal that aborts after `timeoutMs` with the error
 * `onTimeout` makes, and rejects with that error at that moment even if
 * `call` ignores its signal.
 */
export async function withTimeout<T>(
  call: (signal: AbortSignal) => Promise<T>,
  timeoutMs: number,
  onTimeout: () => Error,
): Promise<T> {
  const controller = new AbortController();
  const timedOut = new Promise<never>((_, reject) => {
    controller.signal.addEventListener("abort", () => reject(controller.signal.reason));
  });
  const timer = setTimeout(() => controller.abort(onTimeout()), timeoutMs);
  try {
    return await Promise.race([call(controller.signal), timedOut]);
  } finally {
    clearTimeout(timer);
  }
}
