import path from "node:path";
import { fileURLToPath } from "node:url";
import express, { type ErrorRequestHandler, type Express } from "express";

/** The fixture site: HTML, CSS, JS, JSON, a PNG, a dotfile and a fingerprinted asset. */
export const PUBLIC_ROOT = fileURLToPath(new URL("../fixtures/public", import.meta.url));

/** A file beside the root, never inside it: what a traversal attack is after. */
export const SECRET_FILE = fileURLToPath(new URL("../fixtures/secret.txt", import.meta.url));

export interface SiteOptions {
  /** The directory to serve. Default {@link PUBLIC_ROOT}. */
  root?: string;
  /** "ignore" (404, the default), "deny" (403) or "allow". */
  dotfiles?: "ignore" | "deny" | "allow";
  /** When false, refusals (403, 400) are answered instead of passed on as "not mine". */
  fallthrough?: boolean;
  /** Cache-Control max-age for ordinary files: ms, or a string like "1h". Default 0. */
  maxAge?: number | string;
}

// `express.static` is the `serve-static` package: a middleware that maps the
// request path onto a directory and streams the file with the `send` package.
// We mount it twice, because two kinds of file want two cache policies.
/** The static site: fingerprinted `/assets` cached for a year, the rest revalidated. */
export function createSite(options: SiteOptions = {}): Express {
  const root = options.root ?? PUBLIC_ROOT;
  const fallthrough = options.fallthrough ?? true;
  const app = express();

  // A fingerprinted file (`app.3f9a2c.js`) changes its name whenever its
  // content changes, so a browser may keep it for a year and never ask
  // again: `immutable` says "don't even revalidate on reload".
  app.use(
    "/assets",
    express.static(path.join(root, "assets"), { immutable: true, maxAge: "365d", fallthrough }),
  );

  // Everything else keeps its URL across deploys, so the default `max-age=0`
  // is right: the browser may store it, but must ask each time. The asking
  // is cheap because `send` sets an `ETag` and a `Last-Modified`, and answers
  // a matching `If-None-Match` or `If-Modified-Since` with an empty 304.
  //
  // `send` also answers `Range` requests with 206, refuses any path that
  // still climbs above `root` after one percent-decode and normalising, keeps
  // dotfiles hidden, serves `index.html` for a directory (after redirecting
  // `/docs` to `/docs/`), and picks Content-Type from the extension.
  app.use(
    express.static(root, {
      dotfiles: options.dotfiles ?? "ignore",
      fallthrough,
      maxAge: options.maxAge ?? 0,
    }),
  );

  // With `fallthrough` on (the default), a refused or missing file is "not
  // mine": the request moves on, and with nothing after us it ends in a 404.
  // Turn it off and the refusal itself (403, 416, 400) comes back.
  app.use(plainErrors);
  return app;
}

// A short plain-text answer that keeps the headers `send` attached to its
// error (a 416 carries `Content-Range: bytes */<size>`).
const plainErrors: ErrorRequestHandler = (
  err: { status?: number; headers?: Record<string, string> },
  _req,
  res,
  next,
) => {
  if (res.headersSent) return next(err);
  const status = typeof err.status === "number" ? err.status : 500;
  res.set(err.headers ?? {});
  res.status(status).type("text/plain").send(`${status}\n`);
};
