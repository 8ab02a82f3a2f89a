import "server-only";
import type { z } from "zod";
import { getDb } from "@/db/client";
import type { AuthMode, RouteContract } from "@/lib/api/contract";
import { getEvents } from "@/lib/api/contracts/events";
import { streamExecutionEvents } from "@/lib/api/contracts/executions";
import { badRequest } from "@/lib/api/errors";
import { withApi, type ApiContext, type RouteHandler } from "@/lib/api/handler";
import { env } from "@/lib/env";
import { visibleExecution } from "@/lib/runtime/executions";
import { executionEventsSource } from "@/lib/runtime/stream";
import { audienceOf } from "./audience";
import { getEventHub } from "./hub";
import { lastEventIdFrom, sourceResponse, type SseSource } from "./sse";

/**
 * An event stream's route: its contract and what it serves once withApi has checked the caller and the input. The
 * same definition is served two ways: as a Next route handler (`routeHandler`, app/api/.../route.ts) and on the
 * socket by the stream server (lib/events/stream-server.ts), so both answer with the same auth, errors and frames.
 */
export interface StreamRoute<
  Q extends z.ZodType | undefined = z.ZodType | undefined,
  P extends z.ZodType | undefined = z.ZodType | undefined,
  A extends AuthMode = AuthMode,
> {
  contract: RouteContract<undefined, Q, P, A>;
  source(ctx: ApiContext<undefined, Q, P, A>): Promise<SseSource>;
}

function defineStream<Q extends z.ZodType | undefined, P extends z.ZodType | undefined, A extends AuthMode>(
  contract: RouteContract<undefined, Q, P, A>,
  source: StreamRoute<Q, P, A>["source"],
): StreamRoute<Q, P, A> {
  return { contract, source };
}

/** The stream as a Next route handler: a web Response whose body is the stream. */
export function routeHandler<Q extends z.ZodType | undefined, P extends z.ZodType | undefined, A extends AuthMode>(
  route: StreamRoute<Q, P, A>,
): RouteHandler {
  return withApi(route.contract, async (ctx) => sourceResponse(await route.source(ctx), ctx.req.signal));
}

// GET /api/events - live event stream (SSE); Last-Event-ID resumes, ?type= and ?agent= filter.
// Anonymous: catalogue events only; an agent key or a session adds the events it is party to (docs/events.md).
export const eventsStream = defineStream(getEvents, async ({ req, query, principal }) => {
  const resume = resumePoint(lastEventIdFrom(req), query.since);
  const hub = await getEventHub();
  await hub.start();
  // A party's start is fixed before its agents are read: an agent registered in between is replayed, not missed.
  const after = resume ?? (principal ? hub.position : null);
  const audience = await audienceOf(await getDb(), principal);
  const filter = { types: query.type, agentId: query.agent ?? null };
  return {
    start: (sink) => hub.subscribe(sink, { after, audience, ...filter }),
    heartbeatMs: env().EVENTS_HEARTBEAT_MS,
    retryMs: 2_000,
  };
});

// GET /api/executions/{id}/events - SSE of status changes and log lines, Last-Event-ID resume
export const executionStream = defineStream(streamExecutionEvents, async ({ req, principal, params }) => {
  await visibleExecution(principal, params.id);
  return executionEventsSource(req, params.id);
});

function resumePoint(lastEventId: string | null, since: number | undefined): number | null {
  if (lastEventId !== null) {
    if (!/^\d{1,15}$/.test(lastEventId)) {
      throw badRequest("Last-Event-ID must be an event id", { fields: { last_event_id: "not an event id" } });
    }
    return Number(lastEventId);
  }
  return since ?? null;
}
