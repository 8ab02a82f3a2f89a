import { getEvents } from "@/lib/api/contracts/events";
import { badRequest } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { env } from "@/lib/env";
import { getEventHub } from "@/lib/events/hub";
import { lastEventIdFrom, sseResponse } from "@/lib/events/sse";

export const dynamic = "force-dynamic";

// GET /api/events - live event stream (SSE); Last-Event-ID resumes, ?type= and ?agent= filter
export const GET = withApi(getEvents, async ({ req, query }) => {
  const after = resumePoint(lastEventIdFrom(req), query.since);
  const hub = await getEventHub();
  await hub.start();
  return sseResponse((sink) => hub.subscribe(sink, { after, types: query.type, agentId: query.agent ?? null }), {
    heartbeatMs: env().EVENTS_HEARTBEAT_MS,
    signal: req.signal,
    retryMs: 2_000,
  });
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
