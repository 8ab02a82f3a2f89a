import type { z } from "zod";
import { getMe, type meResponse, updateMe } from "@/lib/api/contracts/auth";
import { forbidden, unauthorized } from "@/lib/api/errors";
import { withApi } from "@/lib/api/handler";
import { getUser, renameUser } from "@/lib/auth/users";

export const dynamic = "force-dynamic";

// GET /api/me - the signed-in person
export const GET = withApi(getMe, async ({ principal }) => {
  if (!principal) throw unauthorized();
  if (principal.kind !== "user") throw forbidden("Only a signed-in person has a profile; agents use /api/agents/me");
  const user = await getUser(principal.userId);
  if (!user) throw unauthorized();
  return { user } satisfies z.infer<typeof meResponse>;
});

// PATCH /api/me - change the signed-in person's name
export const PATCH = withApi(updateMe, async ({ principal, body }) => {
  if (principal.kind !== "user") throw forbidden("Only a signed-in person has a profile; agents use /api/agents/me");
  return { user: await renameUser(principal.userId, body.name) } satisfies z.infer<typeof meResponse>;
});
