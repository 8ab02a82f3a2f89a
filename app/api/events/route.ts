import { getEvents } from "@/lib/api/contracts/events";
import { badRequest } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { env } from "@/lib/env";
import { getDb } from "@/db/client";
import { audienceOf } from "@/lib/events/audience";
import { getEventHub } from "@/lib/events/hub";
import { lastEventIdFrom, sseResponse } from "@/lib/events/sse";

export const dynamic = "force-dynamic";

// GET /api/events - live event stream (SSE); Last-Event-ID resumes, ?type= and ?agent= filter.
// Anonymous: catalogue events only; an agent key or a session adds the events it is party to (docs/events.md).
export const GET = withApi(getEvents, async ({ req, query, principal }) => {
  const resume = resumePoint(lastEventIdFrom(req), query.since);
  const hub = await getEventHub();
  await hub.start();
  // A party's start is fixed before its agents are read: an agent registered in between is replayed, not missed.
  const after = resume ?? (principal ? hub.position : null);
  const audience = await audienceOf(await getDb(), principal);
  const filter = { types: query.type, agentId: query.agent ?? null };
  return sseResponse((sink) => hub.subscribe(sink, { after, audience, ...filter }), {
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
