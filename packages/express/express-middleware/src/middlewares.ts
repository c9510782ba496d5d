import { randomUUID } from "node:crypto";
import type { NextFunction, Request, RequestHandler, Response } from "express";

// A middleware is only a function `(req, res, next)`. It may read or change
// `req` and `res`, end the response, or call `next()` to hand the request to
// the next function in the chain. Calling neither leaves the client hanging.

/** What the access log writes once per response. */
export interface AccessLogEntry {
  requestId: string;
  method: string;
  path: string;
  status: number;
  durationMs: number;
}

/** One middleware's turn: how long it held the request and how it let go. */
export interface Step {
  name: string;
  outcome: "next" | "error" | "responded";
  ms: number;
}

// A client may send its own `X-Request-Id` so its logs and ours line up.
// We trust it only if it looks like an id; anything else (too long, odd
// characters) is replaced, so a client cannot stuff our logs.
const ACCEPTABLE_ID = /^[\w.-]{1,64}$/;

/** Reuses a sane incoming `X-Request-Id` or makes one, and echoes it back. */
export function requestId(): RequestHandler {
  return (req, res, next) => {
    const incoming = req.get("x-request-id");
    const id = incoming && ACCEPTABLE_ID.test(incoming) ? incoming : randomUUID();
    res.locals.requestId = id;
    res.set("X-Request-Id", id);
    next();
  };
}

// The logger runs early but writes late. When it runs, nothing has happened
// yet: no status, no duration. So it only notes the start time and waits for
// `finish`, which the response emits once the last byte is handed to the OS.
/** Logs method, path, status and duration when the response has finished. */
export function accessLog(write: (entry: AccessLogEntry) => void): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.on("finish", () => {
      write({
        requestId: String(res.locals.requestId ?? "-"),
        method: req.method,
        path: req.originalUrl,
        status: res.statusCode,
        durationMs: performance.now() - started,
      });
    });
    next();
  };
}

// Authentication is the middleware that says no. It answers 401 and, by not
// calling `next()`, ends the chain: nothing registered after it runs.
/** Lets a request through only with `Authorization: Bearer <token>`. */
export function requireBearer(token: string): RequestHandler {
  return (req, res, next) => {
    if (req.get("authorization") !== `Bearer ${token}`) {
      res.set("WWW-Authenticate", 'Bearer realm="playground"');
      res.status(401).json({ error: "missing or wrong bearer token" });
      return;
    }
    next();
  };
}

// To see the chain, we wrap each middleware and time its turn: from the moment
// it is called until it calls `next()` (it passed the request on), `next(err)`
// (it failed it) or until its response finished (it ended the chain).
/** Wraps a middleware so each call reports a {@link Step}. */
export function timed(name: string, handler: RequestHandler, report: (step: Step) => void) {
  return (req: Request, res: Response, next: NextFunction) => {
    const started = performance.now();
    let passedOn = false;
    // Prepended, so a middleware that answered reports it before the
    // access log, whose own `finish` listener came earlier, writes its line.
    res.prependOnceListener("finish", () => {
      if (!passedOn) report({ name, outcome: "responded", ms: performance.now() - started });
    });
    return handler(req, res, (err?: unknown) => {
      passedOn = true;
      report({ name, outcome: err ? "error" : "next", ms: performance.now() - started });
      next(err);
    });
  };
}
