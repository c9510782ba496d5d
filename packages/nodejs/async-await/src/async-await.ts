// `async` makes a function return a promise, always. `await` pauses that
// one function until a promise settles and gives the thread back to the
// event loop meanwhile. The code reads top to bottom like synchronous code;
// it does not run like it, and the differences are what we show here.

/** A response that arrived but was not a success. */
export class HttpError extends Error {
  override name = "HttpError";
  constructor(
    readonly url: string,
    readonly status: number,
  ) {
    super(`GET ${url} answered ${status}: check the URL or try again later`);
  }
}

/** GETs `url` and resolves with the body; rejects on a network error, an abort or a non-2xx status. */
export async function getText(url: string, signal?: AbortSignal): Promise<string> {
  const response = await fetch(url, { signal });
  // `fetch` rejects only when no response arrives. A 500 is a response,
  // so we turn it into a rejection ourselves.
  if (!response.ok) throw new HttpError(url, response.status);
  return response.text();
}

// Even `await` of a plain value waits: the rest of the function becomes a
// microtask, and the caller carries on first.

/** Resolves with the order in which an async function and its caller ran. */
export async function whoRunsFirst(): Promise<string[]> {
  const order: string[] = [];
  const task = (async () => {
    order.push("async function starts");
    await null;
    order.push("async function resumes");
  })();
  order.push("caller carries on");
  await task;
  return order;
}

// An `await` inside a loop waits for each call before starting the next.
// That is right when a call needs the previous result, and slow when the
// calls are independent: n calls of 100 ms take n × 100 ms.

/** GETs each URL in turn, starting the next only when the previous one answered. */
export async function oneAfterAnother(urls: string[]): Promise<string[]> {
  const bodies: string[] = [];
  for (const url of urls) bodies.push(await getText(url));
  return bodies;
}

// Independent calls should all be started first and awaited together.
// `Promise.all` keeps the results in the order of the input.

/** GETs every URL at once and resolves with the bodies in input order. */
export function allAtOnce(urls: string[]): Promise<string[]> {
  return Promise.all(urls.map((url) => getText(url)));
}

// `forEach` ignores what its callback returns, so it does not wait for an
// async callback: it returns at once and the promises run on unobserved,
// their rejections unhandled. Use `for … of` with `await`, or `Promise.all`.

/** Runs `work` through `forEach` and reports how many calls had finished when it returned. */
export async function finishedWhenForEachReturns(
  items: number[],
  work: (item: number) => Promise<void>,
): Promise<number> {
  let finished = 0;
  items.forEach(async (item) => {
    await work(item);
    finished++;
  });
  return finished;
}

// A rejected promise that we `await` throws at the `await`, so plain
// `try`/`catch` handles it. The `await` matters: `return getText(url)`
// without it hands the promise out before it settles, and this `catch`
// never sees the rejection.

/** The body of `url`, or `fallback` if the request fails for any reason. */
export async function textOr(url: string, fallback: string): Promise<string> {
  try {
    return await getText(url);
  } catch {
    return fallback;
  }
}

/** The same, without `await` on the return: the `catch` cannot see the rejection. */
export async function textOrBroken(url: string, fallback: string): Promise<string> {
  try {
    return getText(url);
  } catch {
    return fallback;
  }
}

// The combinators differ in what a rejection does:
// - `Promise.all` rejects at the first rejection. The other calls are not
//   cancelled; they run on and their results are thrown away.
// - `Promise.allSettled` never rejects; it reports every outcome.
// - `Promise.any` resolves with the first success, and rejects only when
//   all of them failed, with an `AggregateError` that holds every reason.
// - `Promise.race` settles like the first one to settle, success or not.

/** The outcome of every URL, successes and failures alike. */
export function everyOutcome(urls: string[]): Promise<PromiseSettledResult<string>[]> {
  return Promise.allSettled(urls.map((url) => getText(url)));
}

/** The body of whichever URL succeeds first; an `AggregateError` if none does. */
export function firstSuccess(urls: string[]): Promise<string> {
  return Promise.any(urls.map((url) => getText(url)));
}
