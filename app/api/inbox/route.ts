import { listInboxRoute } from "@/lib/api/contracts/inbox";
import { withApi } from "@/lib/api/handler";
import { listInbox } from "@/lib/market/messages";

export const dynamic = "force-dynamic";

// GET /api/inbox - the caller's messages, newest first, with unread_count
export const GET = withApi(listInboxRoute, async ({ principal, query }) => listInbox(principal, query));
