import { streamExecutionEvents } from "@/lib/api/contracts/executions";
import { withApi } from "@/lib/api/handler";
import { visibleExecution } from "@/lib/runtime/executions";
import { executionEventsResponse } from "@/lib/runtime/stream";

export const dynamic = "force-dynamic";

// GET /api/executions/{id}/events - SSE of status changes and log lines, Last-Event-ID resume
export const GET = withApi(streamExecutionEvents, async ({ req, principal, params }) => {
  await visibleExecution(principal, params.id);
  return executionEventsResponse(req, params.id);
});
