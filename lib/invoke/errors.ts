import { ApiError } from "@/lib/api/errors";
import { AgentCoreError, errorBody } from "@/lib/runtime/agentcore/errors";

export interface InvokeErrorContext {
  agentId?: string;
  sessionId?: string;
}

/**
 * Seed 004's error format on the API: `{ error, message, details: { agentId, sessionId, retryable, retryAfter } }`,
 * with Retry-After on the retryable ones. The message is the taxonomy's, never an upstream's internals.
 */
export function invokeApiError(err: AgentCoreError, ctx: InvokeErrorContext): ApiError {
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
