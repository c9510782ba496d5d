import express, { type ErrorRequestHandler, type Express, type RequestHandler } from "express";
import {
  type AccessLogEntry,
  accessLog,
  requestId,
  requireBearer,
  type Step,
  timed,
} from "./middlewares.js";

// Express is a thin layer over `node:http`: a router that matches method and
// path, plus a chain of middleware functions that each get `(req, res, next)`.
// Everything else (validation, auth, logging, dependency injection) is
// something we plug in as middleware or write ourselves. Here is a small API
// built from that chain.

/** An order the API accepted. */
export interface Order {
  id: number;
  item: string;
  quantity: number;
}

export interface AppOptions {
  /** The bearer token `/api` requires. */
  token: string;
  /** Largest JSON body `/api` accepts, in the `bytes` format: "1kb", "100b". */
  bodyLimit?: string;
  /** Receives one entry per finished response. */
  log?: (entry: AccessLogEntry) => void;
  /** When set, every middleware is timed and reports its turn here. */
  trace?: (step: Step) => void;
}

/** Builds the API; `orders` is its in-memory store, so tests can see what ran. */
export function createApp(options: AppOptions): { app: Express; orders: Order[] } {
  const app = express();
  const orders: Order[] = [];
  const step = (name: string, handler: RequestHandler): RequestHandler =>
    options.trace ? timed(name, handler, options.trace) : handler;

  // Order is the whole design. Express runs middleware in the order we
  // register it, so the request ID comes first (everything after can use
  // it) and the logger second (it then times everything after it).
  // `app.use(fn)` with no path runs for every method and every path.
  app.use(step("requestId", requestId()));
  app.use(step("accessLog", accessLog(options.log ?? (() => {}))));

  // `app.get` is a route: it matches GET (and HEAD) on this exact path only.
  app.get(
    "/health",
    step("health", (_req, res) => {
      res.json({ ok: true, requestId: res.locals.requestId });
    }),
  );

  // A router is a mini-app with its own chain. Its middleware runs only for
  // requests that enter it, here anything under `/api`, so `/health` never
  // meets the auth check. We put auth *before* the body parser: an
  // unauthenticated client should not make us read and parse its body.
  const api = express.Router();
  api.use(step("requireBearer", requireBearer(options.token)));
  api.use(step("json", express.json({ limit: options.bodyLimit ?? "1kb" })));

  api.post(
    "/orders",
    step("createOrder", (req, res) => {
      // `express.json()` parsed the body; it did not check it. Express has no
      // validation, so the handler does its own (or a library like zod does).
      const { item, quantity } = (req.body ?? {}) as { item?: unknown; quantity?: unknown };
      if (typeof item !== "string" || !Number.isInteger(quantity) || (quantity as number) < 1) {
        res.status(400).json({ error: "expected { item: string, quantity: positive integer }" });
        return;
      }
      const order = { id: orders.length + 1, item, quantity: quantity as number };
      orders.push(order);
      res.status(201).json(order);
    }),
  );
  api.get(
    "/orders",
    step("listOrders", (_req, res) => {
      res.json(orders);
    }),
  );

  // Mounting strips the prefix: inside `api`, `req.url` is `/orders`, while
  // `req.originalUrl` keeps `/api/orders` and `req.baseUrl` holds `/api`.
  app.use("/api", api);

  // Errors raised by middleware (the parser's 413, a malformed body's 400)
  // skip ordinary middleware and land in the first four-argument function.
  app.use(jsonErrors);
  return { app, orders };
}

const jsonErrors: ErrorRequestHandler = (
  err: { status?: number; message?: string },
  _req,
  res,
  next,
) => {
  if (res.headersSent) return next(err);
  const status = typeof err.status === "number" ? err.status : 500;
  res.status(status).json({ error: status < 500 ? err.message : "internal error" });
};
