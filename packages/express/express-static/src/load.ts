/** What a short load run measured. */
export interface LoadResult {
  requests: number;
  failures: number;
  perSecond: number;
}

/**
 * Keeps `concurrency` keep-alive `fetch` loops busy against `url` for
 * `durationMs`, reading every body, and counts completed requests.
 * Client and server share this machine, so the figure is for comparing
 * runs made the same way, not a capacity.
 */
export async function measure(
  url: string,
  options: { durationMs: number; concurrency: number; signal?: AbortSignal },
): Promise<LoadResult> {
  let requests = 0;
  let failures = 0;
  const started = performance.now();
  const deadline = started + options.durationMs;
  const loop = async () => {
    while (performance.now() < deadline && !options.signal?.aborted) {
      // No signal per fetch: undici keeps one abort listener per request on it.
      // Checking `aborted` between requests stops us within one round trip.
      const response = await fetch(url);
      await response.arrayBuffer();
      if (response.ok) requests++;
      else failures++;
    }
  };
  await Promise.all(Array.from({ length: options.concurrency }, loop));
  const elapsedS = (performance.now() - started) / 1000;
  return { requests, failures, perSecond: Math.round(requests / elapsedS) };
}
