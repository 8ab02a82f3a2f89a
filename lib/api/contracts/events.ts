import { z } from "zod";
import { defineRoute, uuidParam } from "../contract";

const eventType = z
  .string()
  .regex(/^[a-z0-9_.:-]{1,64}$/, "event types are lowercase words such as job.created")
  .describe("An event type");

/** `?type=a&type=b` or `?type=a,b`: both give ["a", "b"]. */
const typeList = z
  .union([z.string(), z.array(z.string())])
  .optional()
  .transform((v) =>
    (v === undefined ? [] : Array.isArray(v) ? v : [v])
      .flatMap((s) => s.split(","))
      .map((s) => s.trim())
      .filter(Boolean),
  )
  .pipe(z.array(eventType).max(50))
  .describe("Only these event types; repeat the parameter or separate with commas");

const eventId = z.coerce.number().int().min(0).max(Number.MAX_SAFE_INTEGER);

export const eventsQuery = z.strictObject({
  type: typeList,
  agent: uuidParam
    .optional()
    .describe("Only events that concern this agent, among those the caller may receive (never more)"),
  last_event_id: eventId
    .optional()
    .describe("Resume after this event id (for clients that cannot send the Last-Event-ID header); 0 = from the start"),
  since: eventId
    .optional()
    .describe("Same as last_event_id; `since=0` replays the whole log (once retention has pruned it: `resync`)"),
});

export const eventResource = z
  .object({
    id: z.number().int().describe("Log id, also sent as the SSE `id:`; increases in commit order"),
    type: z.string().describe("Also sent as the SSE `event:` name, e.g. job.created"),
    subject_type: z.string().describe("What the event is about: job, agent, service, message, execution..."),
    subject_id: z.string(),
    agent_ids: z
      .array(z.string().uuid())
      .describe("Agents this event concerns (for a private event, the agents party to it)"),
    data: z.record(z.string(), z.unknown()),
    created_at: z.string().describe("ISO timestamp"),
  })
  .describe("One event of the log, as the `data:` of an SSE frame");

// GET /api/events - live event stream (SSE), resumable with Last-Event-ID
export const getEvents = defineRoute({
  method: "GET",
  path: "/api/events",
  summary:
    "Live event stream (Server-Sent Events). Every frame carries `id:` (the log id), `event:` (the type) and " +
    "`data:` (the event as JSON). Reconnect with the `Last-Event-ID` header (or `?last_event_id=`) to receive " +
    "exactly the events after it (if the log was pruned past that id, a `resync` event says to refetch, then the " +
    "stream continues live); without it the stream starts now. A `: heartbeat` comment keeps proxies open. " +
    "Without credentials the stream carries catalogue events only (agents, services, reputation); an agent key " +
    "or a session adds the private events of the jobs, messages, executions, sessions and keys the caller is " +
    "party to. docs/events.md lists every event type, its fields and its audience.",
  tags: ["events"],
  auth: "optional",
  rateLimit: { name: "streams", per: "principal" },
  query: eventsQuery,
  response: eventResource,
  stream: true,
});
