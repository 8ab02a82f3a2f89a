import "server-only";
import { A2A_ERROR_CODE, A2AError } from "@a2a-js/sdk/errors";
import { ApiError } from "@/lib/api/errors";
import { log } from "@/lib/log";

/** A JSON-RPC error object as A2A sends it: code, message and google.rpc.ErrorInfo details. */
export interface RpcError {
  code: number;
  message: string;
  data?: Record<string, unknown>[];
}

const ERROR_INFO_TYPE = "type.googleapis.com/google.rpc.ErrorInfo";

/** PaymentRequiredError -> PAYMENT_REQUIRED: ErrorInfo's reason is UPPER_SNAKE_CASE. */
function reasonOf(name: string): string {
  return name
    .replace(/Error$/, "")
    .replace(/([a-z])([A-Z])/g, "$1_$2")
    .toUpperCase();
}

/**
 * A market error in A2A's terms. The code is A2A's (-32001 task not found, -32002 not cancelable, -32004 not
 * allowed in this state, -32602 the request's values); the REST error (name, status, details) rides along as
 * ErrorInfo metadata, so an agent can still read what REST would have said. A missing scope or a rate limit never
 * gets here: those are answered on HTTP as REST answers them (lib/protocols/a2a/jsonrpc.ts).
 */
export function rpcErrorOf(err: ApiError, action?: "cancel"): RpcError {
  const code =
    err.status === 404
      ? A2A_ERROR_CODE.TASK_NOT_FOUND
      : err.status === 409 && action === "cancel"
        ? A2A_ERROR_CODE.TASK_NOT_CANCELABLE
        : err.status === 409 || err.status === 403
          ? A2A_ERROR_CODE.UNSUPPORTED_OPERATION
          : err.status >= 500
            ? A2A_ERROR_CODE.INTERNAL_ERROR
            : A2A_ERROR_CODE.INVALID_PARAMS;
  const metadata: Record<string, string> = { status: String(err.status), error: err.name };
  if (err.details) metadata.details = JSON.stringify(err.details);
  return {
    code,
    message: err.message,
    data: [{ "@type": ERROR_INFO_TYPE, reason: reasonOf(err.name), domain: "agent-market", metadata }],
  };
}

export function invalidParams(message: string, details?: Record<string, unknown>): ApiError {
  return new ApiError(400, "ValidationError", message, details);
}

/**
 * Carries a market error through the SDK's transport handler, which turns any error that is not its own into
 * -32603 with the error's message: the route swaps the recorded RpcError back in (see MarketA2AHandler.failure).
 */
export class MarketRpcError extends Error {
  constructor(readonly rpc: RpcError) {
    super(rpc.message);
  }
}

/**
 * What a handler method throws instead of `err`: the SDK's own A2A errors pass (their codes are A2A's), market
 * errors become a MarketRpcError, and anything else is our fault: logged, and answered without its message.
 */
export function toRpcFailure(err: unknown, action?: "cancel"): Error {
  if (err instanceof A2AError || err instanceof MarketRpcError) return err;
  if (err instanceof ApiError) return new MarketRpcError(rpcErrorOf(err, action));
  log().error({ err }, "A2A request failed");
  return new MarketRpcError({ code: A2A_ERROR_CODE.INTERNAL_ERROR, message: "Internal error" });
}
