import { getDb } from "@/db/client";
import { listSessionsRoute } from "@/lib/api/contracts/invoke";
import { withApi } from "@/lib/api/handler";
import { partyOf } from "@/lib/auth/principal";
import { listSessions } from "@/lib/invoke/sessions";

export const dynamic = "force-dynamic";

// GET /api/sessions - the caller's agent sessions, most recently used first (?agent_id= to filter)
export const GET = withApi(listSessionsRoute, async ({ principal, query }) =>
  listSessions(await getDb(), partyOf(principal), {
    agentId: query.agent_id,
    limit: query.limit,
    cursor: query.cursor,
  }),
);
