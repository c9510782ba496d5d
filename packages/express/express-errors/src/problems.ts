import { STATUS_CODES } from "node:http";

/** One field that failed validation. */
export interface FieldError {
  field: string;
  message: string;
}

/**
 * The body of every error response: an RFC 9457 "problem details" object,
 * sent as `application/problem+json`.
 */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail?: string;
  instance: string;
  errors?: FieldError[];
  /** Only outside production. */
  stack?: string[];
}

/**
 * An error the client caused and may be told about. Its `status` is also what
 * Express's own default handler reads, so it keeps its code even there.
 */
export abstract class HttpError extends Error {
  abstract readonly status: number;
  /** The last part of the problem `type` URI. */
  abstract readonly kind: string;
}

/** 404: the thing asked for does not exist. */
export class NotFoundError extends HttpError {
  override name = "NotFoundError";
  readonly status = 404;
  readonly kind = "not-found";
}

/** 422: the request was well-formed, but its content breaks the rules. */
export class ValidationError extends HttpError {
  override name = "ValidationError";
  readonly status = 422;
  readonly kind = "validation";

  constructor(readonly errors: FieldError[]) {
    super(`${errors.length} field(s) failed validation: ${errors.map((e) => e.field).join(", ")}`);
  }
}

/** 409: the request clashes with the current state of the resource. */
export class ConflictError extends HttpError {
  override name = "ConflictError";
  readonly status = 409;
  readonly kind = "conflict";
}

/** The problem for `error`; `exposeInternals` adds what only a developer should see. */
export function toProblem(error: unknown, instance: string, exposeInternals: boolean): Problem {
  if (error instanceof HttpError) {
    return {
      type: `/problems/${error.kind}`,
      title: STATUS_CODES[error.status] ?? "Error",
      status: error.status,
      detail: error.message,
      instance,
      ...(error instanceof ValidationError ? { errors: error.errors } : {}),
    };
  }
  // Errors from Express's own middleware (a malformed or oversized body) and
  // from `http-errors` carry a numeric `status`, and `expose: true` when
  // their message is meant for the client. We keep the status and show the
  // message only when told to.
  const declared = declaredStatus(error);
  if (declared !== undefined) {
    return {
      type: "about:blank",
      title: STATUS_CODES[declared.status] ?? "Error",
      status: declared.status,
      ...(declared.expose ? { detail: declared.message } : {}),
      instance,
    };
  }
  // Anything else is our bug. The client learns only that it happened.
  return {
    type: "about:blank",
    title: "Internal Server Error",
    status: 500,
    instance,
    ...(exposeInternals && error instanceof Error
      ? { detail: error.message, stack: (error.stack ?? "").split("\n").map((l) => l.trim()) }
      : {}),
  };
}

function declaredStatus(
  error: unknown,
): { status: number; expose: boolean; message: string } | undefined {
  if (typeof error !== "object" || error === null) return undefined;
  const { status, expose, message } = error as {
    status?: unknown;
    expose?: unknown;
    message?: unknown;
  };
  if (typeof status !== "number" || status < 400 || status > 599) return undefined;
  return { status, expose: expose === true, message: String(message ?? "") };
}
