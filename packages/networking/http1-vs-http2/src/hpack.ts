import { ChaosProxy } from "@playground/kit";
import { clientFor, type Strategy } from "./http1-vs-http2.js";

/** Request bytes on the wire, client to server, as counted by a proxy. */
export interface HeaderBytes {
  requests: number;
  total: number;
  first: number;
  /** What each request after the first cost, on average. */
  perLaterRequest: number;
}

/** Headers a browser might send with every request to an API: large, and the same each time. */
export const BROWSER_HEADERS: Record<string, string> = {
  cookie: `session=${"s3ss10n".repeat(40)}; preferences=${"p".repeat(150)}`,
  "user-agent":
    "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
  accept: "text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8",
  "accept-language": "en-GB,en;q=0.9,fr;q=0.8,de;q=0.7",
  "x-request-context": `00-${"4bf92f3577b34da6".repeat(2)}-00f067aa0ba902b7-01`,
};

// HTTP/1.1 spells out every header of every request, in text. HPACK, the
// header compression of HTTP/2, keeps a table on both ends of the
// connection: a header sent once is added to it, and from then on it costs
// a one- or two-byte index. So we put the kit's proxy between client and
// server and count what actually crosses it, request after request.
export async function measureRequestBytes(
  target: { port: number },
  strategy: Strategy,
  headers: Record<string, string>,
  requests: number,
): Promise<HeaderBytes> {
  const proxy = await ChaosProxy.start({ host: "127.0.0.1", port: target.port });
  const client = clientFor(`http://127.0.0.1:${proxy.port}`, strategy);
  try {
    let first = 0;
    for (let i = 0; i < requests; i++) {
      const response = await client.request({ path: "/item", method: "GET", headers });
      await response.body.text();
      if (i === 0) first = proxy.stats.bytesUp;
    }
    const total = proxy.stats.bytesUp;
    return {
      requests,
      total,
      first,
      perLaterRequest: requests > 1 ? (total - first) / (requests - 1) : 0,
    };
  } finally {
    await client.close();
    await proxy.close();
  }
}
