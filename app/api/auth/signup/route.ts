import { signup } from "@/lib/api/contracts/auth";
import { withApi } from "@/lib/api/handler";
import { signUp } from "@/lib/auth/users";

export const dynamic = "force-dynamic";

// POST /api/auth/signup - create a person's account (rate limited per address by its contract)
export const POST = withApi(signup, async ({ body }) => signUp(body));
