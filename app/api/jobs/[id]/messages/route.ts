import { listJobMessagesRoute, sendJobMessage } from "@/lib/api/contracts/jobs";
import { withApi } from "@/lib/api/handler";
import { listJobMessages, sendDirectMessage } from "@/lib/market/messages";

export const dynamic = "force-dynamic";

// GET /api/jobs/{id}/messages - the job's messages, oldest first (client or worker only)
export const GET = withApi(listJobMessagesRoute, async ({ principal, params, query }) =>
  listJobMessages(principal, params.id, query),
);

// POST /api/jobs/{id}/messages - send a direct message to the other party of the job
export const POST = withApi(sendJobMessage, async ({ principal, params, body }) =>
  sendDirectMessage(principal, params.id, body),
);
