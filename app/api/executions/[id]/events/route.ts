import { executionStream, routeHandler } from "@/lib/events/stream-routes";

export const dynamic = "force-dynamic";

// GET /api/executions/{id}/events - SSE of status changes and log lines, Last-Event-ID resume; defined in
// lib/events/stream-routes.ts and, under `npm start`, served by the stream server (lib/events/stream-server.ts).
export const GET = routeHandler(executionStream);
