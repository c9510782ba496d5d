import express, {
  type ErrorRequestHandler,
  type Express,
  type Request,
  type RequestHandler,
} from "express";
import {
  ConflictError,
  type FieldError,
  NotFoundError,
  toProblem,
  ValidationError,
} from "./problems.js";

// An Express app has two chains. Ordinary middleware takes `(req, res, next)`.
// As soon as anything fails (a handler throws, an `async` handler rejects,
// or someone calls `next(err)`), Express skips the rest of the ordinary chain
// and calls the next function that takes four arguments, `(err, req, res, next)`.
// Express tells the two apart only by `fn.length`, so all four must be declared.

/** What the app reports about failures it did not expect (our bugs). */
export type ErrorLog = (error: unknown, req: Request) => void;

// The last function of the ordinary chain runs only when no route answered,
// so it is where a 404 is born. We turn it into an error, so that unmatched
// routes get the same problem body as every other failure.
/** Turns "no route matched" into a {@link NotFoundError}. */
export const notFound: RequestHandler = (req, _res, next) => {
  next(new NotFoundError(`no route for ${req.method} ${req.path}`));
};

/** The four-argument handler: every error becomes an `application/problem+json` body. */
export function problemHandler(log: ErrorLog): ErrorRequestHandler {
  return (err, req, res, next) => {
    // Once the status line and headers are on the wire they cannot change:
    // a 500 is no longer possible. We hand the error to Express's default
    // handler, which logs it and destroys the socket, so the client sees a
    // truncated response instead of a complete-looking one.
    if (res.headersSent) {
      next(err);
      return;
    }
    // The stack and the real message go to our log, never to a production
    // client: they tell an attacker our file layout, queries and versions.
    const production = req.app.get("env") === "production";
    const problem = toProblem(err, req.originalUrl, !production);
    if (problem.status >= 500) log(err, req);
    res.status(problem.status).type("application/problem+json").json(problem);
  };
}

interface Order {
  id: string;
  item: string;
  state: "open" | "shipped";
}

/** A small orders API whose routes fail in each of the ways Express handles. */
export function createApp(options: { env?: string; log?: ErrorLog } = {}): Express {
  const app = express();
  if (options.env) app.set("env", options.env);
  const orders = new Map<string, Order>([
    ["1", { id: "1", item: "tea", state: "shipped" }],
    ["2", { id: "2", item: "coffee", state: "open" }],
  ]);
  app.use(express.json({ limit: "1kb" }));

  // A synchronous throw: Express has always caught these.
  app.get("/orders/:id", (req, res) => {
    const order = orders.get(req.params.id);
    if (!order) throw new NotFoundError(`order ${req.params.id} does not exist`);
    res.json(order);
  });

  // An `async` handler that rejects. Express 5 attaches a `catch` to the
  // promise a handler returns and calls `next(err)`; Express 4 ignored the
  // promise, so this error escaped as an unhandled rejection.
  app.post("/orders", async (req, res) => {
    await Promise.resolve(); // stands for a real await: a database, a service
    const errors = validate(req.body);
    if (errors.length > 0) throw new ValidationError(errors);
    const order: Order = { id: String(orders.size + 1), item: req.body.item, state: "open" };
    orders.set(order.id, order);
    res.status(201).json(order);
  });

  // Callback-style code throws into nowhere: by the time the callback runs,
  // Express's `try` is long gone. There we must call `next(err)` ourselves.
  app.post("/orders/:id/cancel", (req, res, next) => {
    setImmediate(() => {
      const order = orders.get(req.params.id);
      if (!order) return next(new NotFoundError(`order ${req.params.id} does not exist`));
      if (order.state === "shipped")
        return next(new ConflictError(`order ${order.id} has shipped`));
      orders.delete(order.id);
      res.status(204).end();
    });
  });

  // A plain bug: it becomes a 500 with nothing of ours in the body.
  app.get("/reports/daily", async () => {
    const rows = JSON.parse("null") as { total: number }[];
    return rows.length;
  });

  // Failing halfway through a streamed response, after the 200 went out.
  app.get("/orders.csv", async (_req, res) => {
    res.type("text/csv").write("id,item\n1,tea\n");
    await new Promise((resolve) => setImmediate(resolve));
    throw new Error("database connection lost during export");
  });

  app.use(notFound);
  app.use(problemHandler(options.log ?? ((error) => console.error(error))));
  return app;
}

function validate(body: unknown): FieldError[] {
  const { item, quantity } = (body ?? {}) as { item?: unknown; quantity?: unknown };
  const errors: FieldError[] = [];
  if (typeof item !== "string" || item === "") errors.push({ field: "item", message: "required" });
  if (!Number.isInteger(quantity) || (quantity as number) < 1)
    errors.push({ field: "quantity", message: "must be a positive integer" });
  return errors;
}
