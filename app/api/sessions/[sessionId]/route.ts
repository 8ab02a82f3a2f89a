import { getDb } from "@/db/client";
import { getSessionRoute } from "@/lib/api/contracts/invoke";
import { notFound } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { partyOf } from "@/lib/auth/principal";
import { getSession } from "@/lib/invoke/sessions";

export const dynamic = "force-dynamic";

// GET /api/sessions/{sessionId} - one of the caller's sessions with its invocations (another caller's is a 404)
export const GET = withApi(getSessionRoute, async ({ principal, params }) => {
  const session = await getSession(await getDb(), partyOf(principal), params.sessionId);
  if (!session) throw notFound("Session");
  return session;
});
