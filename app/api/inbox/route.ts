import { listInbox } from "@/lib/api/contracts/inbox";
import { withApi } from "@/lib/api/handler";
import * as messages from "@/lib/market/messages";

export const dynamic = "force-dynamic";

// GET /api/inbox - the caller's messages, newest first, with unread_count
export const GET = withApi(listInbox, async ({ principal, query }) => messages.listInbox(principal, query));
