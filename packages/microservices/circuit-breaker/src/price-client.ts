import type { Price } from "./flaky-service.js";

/** The dependency answered, but not with a success. */
export class DependencyError extends Error {
  override name = "DependencyError";

  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`GET ${url} answered ${status}: the prices service failed this request.`);
  }
}

/**
 * Asks the prices service at `baseUrl` for one price over real HTTP. `signal`
 * cancels the request, so a caller that gives up also frees the connection.
 */
export async function getPrice(baseUrl: string, sku: string, signal: AbortSignal): Promise<Price> {
  const url = `${baseUrl}/price/${encodeURIComponent(sku)}`;
  const response = await fetch(url, { signal });
  if (!response.ok) {
    await response.body?.cancel();
    throw new DependencyError(url, response.status);
  }
  return (await response.json()) as Price;
}
