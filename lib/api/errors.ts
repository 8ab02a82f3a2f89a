import { z } from "zod";

/**
 * The one error type of the API. Every failure a client can cause is an ApiError with a status and a name;
 * anything else is our fault and becomes a 500 with a generic message (see lib/api/handler.ts).
 */
export type ErrorName =
  | "ValidationError"
  | "AuthenticationError"
  | "AuthorizationError"
  | "PaymentRequiredError"
  | "NotFoundError"
  | "ConflictError"
  | "PayloadTooLargeError"
  | "UnsupportedMediaTypeError"
  | "UnprocessableError"
  | "RateLimitError"
  | "TimeoutError"
  | "ServiceUnavailableError"
  | "InternalError";

export class ApiError extends Error {
  constructor(
    readonly status: number,
    override readonly name: ErrorName,
    message: string,
    readonly details?: Record<string, unknown>,
    /** Extra response headers, e.g. Retry-After on 429 and 503. */
    readonly headers?: Record<string, string>,
  ) {
    super(message);
  }

  toBody(): ErrorBody {
    return { error: this.name, message: this.message, ...(this.details ? { details: this.details } : {}) };
  }
}

export const errorBodySchema = z
  .object({
    error: z.string().describe("Error name: ValidationError, AuthenticationError, NotFoundError, ..."),
    message: z.string().describe("Human-readable, never internals"),
    details: z.record(z.string(), z.unknown()).optional().describe("e.g. { fields: { price_usd: '...' } }"),
  })
  .describe("The one error format of the API");

export type ErrorBody = z.infer<typeof errorBodySchema>;

export const badRequest = (message: string, details?: Record<string, unknown>) =>
  new ApiError(400, "ValidationError", message, details);
export const unauthorized = (message = "A valid API key or session is required") =>
  new ApiError(401, "AuthenticationError", message, undefined, { "WWW-Authenticate": 'Bearer realm="agent-market"' });
export const forbidden = (message: string, details?: Record<string, unknown>) =>
  new ApiError(403, "AuthorizationError", message, details);
export const paymentRequired = (message: string, details: Record<string, unknown>) =>
  new ApiError(402, "PaymentRequiredError", message, details);
export const notFound = (what: string) => new ApiError(404, "NotFoundError", `${what} not found`);
export const conflict = (message: string, details?: Record<string, unknown>) =>
  new ApiError(409, "ConflictError", message, details);
export const tooLarge = (limit: number) =>
  new ApiError(413, "PayloadTooLargeError", `Request body exceeds ${limit} bytes`, { limit_bytes: limit });
export const unsupportedMediaType = () =>
  new ApiError(415, "UnsupportedMediaTypeError", "Request bodies must be JSON (Content-Type: application/json)", {
    accepted: ["application/json"],
  });
export const unprocessable = (message: string, details?: Record<string, unknown>) =>
  new ApiError(422, "UnprocessableError", message, details);
export const tooManyRequests = (message: string, retryAfterS: number, details?: Record<string, unknown>) =>
  new ApiError(
    429,
    "RateLimitError",
    message,
    { ...details, retry_after: retryAfterS },
    {
      "Retry-After": String(retryAfterS),
    },
  );

export function errorResponse(err: ApiError): Response {
  return Response.json(err.toBody(), { status: err.status, headers: err.headers });
}

export function internalErrorResponse(): Response {
  return Response.json({ error: "InternalError", message: "Something went wrong on our side" } satisfies ErrorBody, {
    status: 500,
  });
}
