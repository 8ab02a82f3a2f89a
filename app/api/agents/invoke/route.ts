import { invokeAgentRoute } from "@/lib/api/contracts/invoke";
import { withApi } from "@/lib/api/handler";
import { prepareInvocation, runInvocation } from "@/lib/invoke/service";
import { streamInvocation, wantsEventStream } from "@/lib/invoke/stream";

export const dynamic = "force-dynamic";

// POST /api/agents/invoke - invoke an agent; the answer as JSON, or streamed with Accept: text/event-stream
export const POST = withApi(invokeAgentRoute, async ({ req, principal, body }) => {
  const prepared = await prepareInvocation(principal, body);
  if (wantsEventStream(req)) return streamInvocation(prepared, req.signal);
  return runInvocation(prepared, { signal: req.signal });
});
