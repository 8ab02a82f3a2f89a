import { signup } from "@/lib/api/contracts/auth";
import { withApi } from "@/lib/api/handler";
import { assertNotCrossSite } from "@/lib/auth/csrf";
import { signUp } from "@/lib/auth/users";

export const dynamic = "force-dynamic";

// POST /api/auth/signup - create a person's account (the same answer for a new and a registered address;
// rate limited per address by its contract)
export const POST = withApi(signup, async ({ req, body }) => {
  // Another site's page must not create accounts through a visitor's browser (login CSRF).
  assertNotCrossSite(req);
  return signUp(body);
});
