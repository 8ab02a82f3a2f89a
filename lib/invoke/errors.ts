import { ApiError } from "@/lib/api/errors";

/**
 * The error taxonomy of invocations, whatever the target (an AgentCore runtime, a running execution; the agent
 * side is docs/agent-contract.md). Every failure of an invocation becomes an InvocationError with one of these
 * kinds; its message is written for the caller and never carries credentials, URLs or upstream internals.
 */
export type InvocationErrorKind =
  | "ValidationError"
  | "AuthenticationError"
  | "AuthorizationError"
  | "NotFoundError"
  | "TimeoutError"
  | "ServiceUnavailableError"
  | "InternalError";

export const STATUS_OF: Record<InvocationErrorKind, number> = {
  ValidationError: 400,
  AuthenticationError: 401,
  AuthorizationError: 403,
  NotFoundError: 404,
  TimeoutError: 504,
  ServiceUnavailableError: 503,
  InternalError: 500,
};

/** 503- and 504-class failures are transient; everything else is retried by nobody. */
export function isRetryableKind(kind: InvocationErrorKind): boolean {
  return kind === "ServiceUnavailableError" || kind === "TimeoutError";
}

export class InvocationError extends Error {
  override readonly name: InvocationErrorKind;
  readonly status: number;
  readonly retryable: boolean;
  /** Seconds a caller should wait before trying again (retryable errors only). */
  readonly retryAfter: number | undefined;
  /** Attempts made before giving up (set by the retry loop). */
  attempts = 1;

  constructor(kind: InvocationErrorKind, message: string, opts: { retryAfter?: number; retryable?: boolean } = {}) {
    super(message);
    this.name = kind;
    this.status = STATUS_OF[kind];
    this.retryable = opts.retryable ?? isRetryableKind(kind);
    this.retryAfter = this.retryable ? (opts.retryAfter ?? 1) : undefined;
  }
}

// AWS error types that say the signature or the credentials were not accepted (AWS answers them with 403).
const AUTH_TYPES = new Set([
  "UnrecognizedClientException",
  "InvalidSignatureException",
  "SignatureDoesNotMatch",
  "IncompleteSignatureException",
  "MissingAuthenticationTokenException",
  "ExpiredTokenException",
  "InvalidClientTokenId",
  "CredentialsProviderError",
]);

/** Maps an upstream answer (HTTP status and the `x-amzn-errortype` / `__type` name) to the taxonomy. */
export function fromUpstream(status: number | undefined, errorType?: string): InvocationError {
  const type = (errorType ?? "").split(":")[0]?.split("#").pop() ?? "";
  if (AUTH_TYPES.has(type) || status === 401) {
    return new InvocationError("AuthenticationError", "The agent runtime did not accept the server's AWS credentials");
  }
  if (type === "AccessDeniedException" || status === 403) {
    return new InvocationError("AuthorizationError", "The server is not allowed to invoke this agent runtime");
  }
  if (type === "ResourceNotFoundException" || status === 404) {
    return new InvocationError("NotFoundError", "The agent runtime was not found");
  }
  if (type === "ValidationException" || status === 400 || status === 413 || status === 422) {
    return new InvocationError("ValidationError", "The agent runtime rejected the request as invalid");
  }
  if (type === "ThrottlingException" || type === "ServiceQuotaExceededException" || status === 429) {
    return new InvocationError("ServiceUnavailableError", "The agent runtime is busy; try again shortly", {
      retryAfter: 2,
    });
  }
  if (status === 504 || status === 408) {
    return new InvocationError("TimeoutError", "The agent runtime did not answer in time");
  }
  // 500, 502, 503, RetryableConflict, RuntimeClientError (424): the runtime is not serving right now.
  if (status !== undefined && status >= 400) {
    return new InvocationError("ServiceUnavailableError", "The agent runtime is unavailable; try again shortly");
  }
  return new InvocationError("InternalError", "The agent runtime answered in an unexpected way");
}

const NETWORK_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "ENOTFOUND",
  "EAI_AGAIN",
  "EPIPE",
  "UND_ERR_SOCKET",
]);

/**
 * Anything thrown while talking to a runtime, as an InvocationError: SDK service exceptions carry
 * `$metadata.httpStatusCode`, socket errors a `code`, and our own errors pass through.
 */
export function toInvocationError(err: unknown): InvocationError {
  if (err instanceof InvocationError) return err;
  const e = err as {
    name?: string;
    code?: string;
    $metadata?: { httpStatusCode?: number };
    $response?: { statusCode?: number };
    cause?: { code?: string };
  } | null;
  if (!e || typeof e !== "object") return new InvocationError("InternalError", "The invocation failed unexpectedly");
  const status = e.$metadata?.httpStatusCode ?? e.$response?.statusCode;
  if (e.name === "CredentialsProviderError") return fromUpstream(undefined, "CredentialsProviderError");
  if (e.name === "TimeoutError" || e.code === "ETIMEDOUT" || e.name === "AbortError" || e.code === "ABORT_ERR") {
    return new InvocationError("TimeoutError", "The agent runtime did not answer in time");
  }
  const code = e.code ?? e.cause?.code;
  if (code && NETWORK_CODES.has(code)) {
    return new InvocationError("ServiceUnavailableError", "The agent runtime could not be reached; try again shortly");
  }
  if (status !== undefined) return fromUpstream(status, e.name);
  return new InvocationError("InternalError", "The invocation failed unexpectedly");
}

/** An error the agent itself reported in its stream (`data: {"error": ..., "message": ...}`). */
export function fromAgentFrame(error: string, message: string): InvocationError {
  const kind: InvocationErrorKind = error in STATUS_OF ? (error as InvocationErrorKind) : "InternalError";
  const text = message.trim() ? `The agent reported an error: ${message.trim().slice(0, 300)}` : "The agent failed";
  return new InvocationError(kind, text, { retryable: false });
}

/** The error body of an invocation: `{ error, message, details: { agentId, sessionId, retryable, retryAfter } }`. */
export function errorBody(err: InvocationError, ctx: { agentId?: string; sessionId?: string }) {
  return {
    error: err.name,
    message: err.message,
    details: {
      ...(ctx.agentId !== undefined ? { agentId: ctx.agentId } : {}),
      ...(ctx.sessionId !== undefined ? { sessionId: ctx.sessionId } : {}),
      retryable: err.retryable,
      ...(err.retryAfter !== undefined ? { retryAfter: err.retryAfter } : {}),
    },
  };
}

export interface InvokeErrorContext {
  agentId?: string;
  sessionId?: string;
}

/**
 * The invocation error format on the API: `{ error, message, details: { agentId, sessionId, retryable, retryAfter } }`,
 * with Retry-After on the retryable ones. The message is the taxonomy's, never an upstream's internals.
 */
export function invokeApiError(err: InvocationError, ctx: InvokeErrorContext): ApiError {
  const body = errorBody(err, ctx);
  const headers = err.retryAfter !== undefined ? { "Retry-After": String(err.retryAfter) } : undefined;
  return new ApiError(err.status, err.name, err.message, body.details, headers);
}

/** A 4xx of our own (not found, too large, too many) in the same format. */
export function invokeClientError(
  status: number,
  name: ConstructorParameters<typeof ApiError>[1],
  message: string,
  ctx: InvokeErrorContext,
  extra: { retryAfter?: number; details?: Record<string, unknown> } = {},
): ApiError {
  const retryable = extra.retryAfter !== undefined;
  return new ApiError(
    status,
    name,
    message,
    { ...ctx, retryable, ...(retryable ? { retryAfter: extra.retryAfter } : {}), ...extra.details },
    retryable ? { "Retry-After": String(extra.retryAfter) } : undefined,
  );
}
