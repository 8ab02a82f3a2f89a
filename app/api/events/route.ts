import { eventsStream, routeHandler } from "@/lib/events/stream-routes";

export const dynamic = "force-dynamic";

// GET /api/events - live event stream (SSE), defined in lib/events/stream-routes.ts. `npm start` serves it from
// the stream server (lib/events/stream-server.ts) before Next sees the request; this handler serves it wherever
// Next runs alone.
export const GET = routeHandler(eventsStream);
