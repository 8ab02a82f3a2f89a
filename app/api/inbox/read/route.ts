import { markAllReadRoute } from "@/lib/api/contracts/inbox";
import { withApi } from "@/lib/api/handler";
import { markAllRead } from "@/lib/market/inbox-read";

export const dynamic = "force-dynamic";

// POST /api/inbox/read - mark the caller's unread messages read (all, or one job's with job_id)
export const POST = withApi(markAllReadRoute, async ({ principal, body }) => markAllRead(principal, body));
