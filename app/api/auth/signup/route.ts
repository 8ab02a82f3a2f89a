import { signup } from "@/lib/api/contracts/auth";
import { withApi } from "@/lib/api/handler";
import { clientIp, enforceAuthLimit } from "@/lib/auth/rate-limit";
import { signUp } from "@/lib/auth/users";

export const dynamic = "force-dynamic";

// POST /api/auth/signup - create a person's account
export const POST = withApi(signup, async ({ req, body }) => {
  enforceAuthLimit(`signup:${clientIp(req)}`);
  return signUp(body);
});
