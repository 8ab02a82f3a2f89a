import type { z } from "zod";
import { changeMyPassword, type changePasswordResponse } from "@/lib/api/contracts/auth";
import { forbidden, unauthorized } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { readSessionClaims, sessionCookieHeader } from "@/lib/auth/session-cookie";
import { changePassword } from "@/lib/auth/users";

export const dynamic = "force-dynamic";

// POST /api/me/password - change the password: ends every other session, keeps this browser signed in
export const POST = withApi(changeMyPassword, async ({ req, principal, body }) => {
  if (principal.kind !== "user") throw forbidden("Only a signed-in person has a password; agents use API keys");
  const claims = await readSessionClaims(req);
  if (!claims || claims.userId !== principal.userId) throw unauthorized();
  const { user, sessionVersion } = await changePassword(principal.userId, body);
  return Response.json({ user, other_sessions_ended: true } satisfies z.infer<typeof changePasswordResponse>, {
    headers: { "set-cookie": await sessionCookieHeader(claims, sessionVersion), "cache-control": "no-store" },
  });
});
