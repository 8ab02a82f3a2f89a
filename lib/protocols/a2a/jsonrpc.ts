import "server-only";
import { formatSSEErrorEvent, formatSSEEvent, SSE_HEADERS, A2A_VERSION_HEADER } from "@a2a-js/sdk";
import { isLegacyJsonRpcMethod, legacyJsonRpcToV1Method } from "@a2a-js/sdk/compat/v0_3";
import { LegacyJsonRpcTransportHandler } from "@a2a-js/sdk/compat/v0_3/server";
import { VersionNotSupportedError } from "@a2a-js/sdk/errors";
import { JsonRpcTransportHandler, ServerCallContext } from "@a2a-js/sdk/server";
import { readJsonBody } from "@/lib/api/body";
import type { RouteContract } from "@/lib/api/contract";
import { getEvents } from "@/lib/api/contracts/events";
import { cancelJobRoute, completeJobRoute, getJob, hireJobRoute, listJobsRoute } from "@/lib/api/contracts/jobs";
import { invokeAgentRoute } from "@/lib/api/contracts/invoke";
import { browseServicesRoute } from "@/lib/api/contracts/services";
import { assertScopes } from "@/lib/api/handler";
import { enforceRateLimit, type RateLimitGrant } from "@/lib/api/rate-limit";
import { principalLabel, type Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { A2A_VERSIONS } from "./card";
import { MarketA2AHandler, type A2ATarget } from "./handler";

type Rules = Pick<RouteContract, "scopes" | "rateLimit">;

/**
 * The REST route whose scopes and rate limit an A2A call takes, as each MCP tool takes its route's: checked on
 * HTTP before the call runs, so a missing scope is REST's 403 and a limit REST's 429, with REST's body.
 */
async function rulesOf(
  method: string,
  params: Record<string, unknown> | undefined,
  target: A2ATarget,
  principal: Principal,
): Promise<Rules | null> {
  switch (method) {
    case "SendMessage":
    case "SendStreamingMessage": {
      const message = params?.message as Record<string, unknown> | undefined;
      if (typeof message?.taskId === "string" && message.taskId) return completeJobRoute;
      const meta = { ...(params?.metadata as object), ...(message?.metadata as object) } as Record<string, unknown>;
      if (target.agentId === null && meta.skill_id === "search_services") return browseServicesRoute;
      // Naming no skill, to an agent that answers invocations: an invocation (MarketA2AHandler.invoking).
      const skill = meta.skill_id || meta.service_id;
      const parts = Array.isArray(message?.parts) ? (message.parts as Record<string, unknown>[]) : [];
      const hasData = parts.some((p) => p && typeof p === "object" && ("data" in p || p.kind === "data"));
      if (!skill && !hasData && target.invocable && (await target.invocable(principal))) return invokeAgentRoute;
      return hireJobRoute;
    }
    case "GetTask":
      return getJob;
    case "ListTasks":
      return listJobsRoute;
    case "CancelTask":
      return cancelJobRoute;
    case "SubscribeToTask":
      return { scopes: getJob.scopes, rateLimit: getEvents.rateLimit };
    // A push config is a subscription that outlives the request: read access to the job, as GetTask.
    case "CreateTaskPushNotificationConfig":
    case "GetTaskPushNotificationConfig":
    case "ListTaskPushNotificationConfigs":
    case "DeleteTaskPushNotificationConfig":
      return getJob;
    default:
      return null; // the transport answers (unknown: method not found)
  }
}

const encoder = new TextEncoder();

type RpcAnswer = { jsonrpc: string; id: string | number | null; error?: unknown; result?: unknown };

/** The SSE framing of the SDK's express handler, plus a heartbeat comment so that proxies keep the stream open. */
function sseFrom(stream: AsyncGenerator<RpcAnswer>, id: unknown, fix: (a: RpcAnswer) => RpcAnswer): Response {
  let beat: ReturnType<typeof setInterval> | undefined;
  const body = new ReadableStream<Uint8Array>({
    start(controller) {
      const send = (s: string) => {
        try {
          controller.enqueue(encoder.encode(s));
        } catch {
          // the client has gone
        }
      };
      beat = setInterval(() => send(": heartbeat\n\n"), env().EVENTS_HEARTBEAT_MS);
      void (async () => {
        try {
          for await (const event of stream) send(formatSSEEvent(fix(event)));
        } catch (err) {
          send(formatSSEErrorEvent(fix({ jsonrpc: "2.0", id: (id as RpcAnswer["id"]) ?? null, error: err })));
        } finally {
          clearInterval(beat);
          try {
            controller.close();
          } catch {
            // already cancelled
          }
        }
      })();
    },
    async cancel() {
      clearInterval(beat);
      await stream.return(undefined);
    },
  });
  return new Response(body, { headers: SSE_HEADERS });
}

/**
 * One A2A JSON-RPC request to `target`, as the SDK's express jsonRpcHandler serves it: v0.3 method names when the
 * A2A-Version header is absent or 0.3, v1.0 otherwise; streams as SSE. The caller is already resolved by withApi.
 */
export async function handleA2ARequest(req: Request, principal: Principal, target: A2ATarget): Promise<Response> {
  const body = (await readJsonBody(req, env().MAX_BODY_BYTES)) as Record<string, unknown> | null;
  const version = req.headers.get(A2A_VERSION_HEADER) || "0.3";
  const legacy = version === "0.3";
  const id = (body?.id as RpcAnswer["id"]) ?? null;
  const handler = new MarketA2AHandler(principal, target, req.signal);
  const transport = legacy ? new LegacyJsonRpcTransportHandler(handler) : new JsonRpcTransportHandler(handler);
  const mapError = (err: unknown) =>
    legacy
      ? LegacyJsonRpcTransportHandler.mapToLegacyJSONRPCError(err)
      : JsonRpcTransportHandler.mapToJSONRPCError(err);
  // A market error (errors.ts) replaces the SDK's generic -32603 for it; any other error is mapped by the SDK.
  const fix = (a: RpcAnswer): RpcAnswer =>
    a.error === undefined
      ? a
      : { ...a, error: handler.failure ?? (a.error instanceof Error ? mapError(a.error) : a.error) };

  if (!(A2A_VERSIONS as readonly string[]).includes(version)) {
    const err = new VersionNotSupportedError(`A2A version ${version} is not supported (${A2A_VERSIONS.join(", ")})`);
    return Response.json({ jsonrpc: "2.0", id, error: mapError(err) });
  }

  const rawMethod = typeof body?.method === "string" ? body.method : "";
  // An unknown method is the transport's to answer (method not found); here it needs no rules.
  const method = legacy ? (isLegacyJsonRpcMethod(rawMethod) ? legacyJsonRpcToV1Method(rawMethod) : "") : rawMethod;
  const params = body?.params && typeof body.params === "object" ? (body.params as Record<string, unknown>) : undefined;
  const rules = await rulesOf(method, params, target, principal);
  let grant: RateLimitGrant | null = null;
  if (rules) {
    assertScopes(rules, principal);
    if (rules.rateLimit) grant = await enforceRateLimit(rules.rateLimit, req, principal);
  }
  try {
    const context = new ServerCallContext({
      requestedVersion: version,
      user: { isAuthenticated: true, userName: principalLabel(principal) },
    });
    const answer = await transport.handle(body ?? {}, context);
    if (Symbol.asyncIterator in answer) {
      const stream = answer as AsyncGenerator<RpcAnswer>;
      // As the SDK does: an error before the first event is a plain JSON answer (v0.3 resubscribe always streams).
      if (!(legacy && rawMethod === "tasks/resubscribe")) {
        const first = await stream.next().catch((err: unknown) => ({ err }));
        if ("err" in first) return settle(grant, Response.json(fix({ jsonrpc: "2.0", id, error: first.err })));
        return settle(grant, sseFrom(prepend(first, stream), id, fix));
      }
      return settle(grant, sseFrom(stream, id, fix));
    }
    return settle(grant, Response.json(fix(answer as RpcAnswer)));
  } catch (err) {
    grant?.abandon();
    throw err;
  }
}

/** A stream slot (SubscribeToTask) is held until the answer's body ends, whatever the answer. */
function settle(grant: RateLimitGrant | null, res: Response): Response {
  return grant ? grant.settle(res) : res;
}

async function* prepend<T>(first: IteratorResult<T>, rest: AsyncGenerator<T>): AsyncGenerator<T> {
  if (!first.done) yield first.value;
  yield* rest;
}
