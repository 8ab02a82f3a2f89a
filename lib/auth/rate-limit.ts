import "server-only";
import { enforceRateLimit } from "@/lib/api/rate-limit";

/**
 * Sign-in attempts per client address (limit "signin", AUTH_RATE_LIMIT_PER_MIN a minute). next-auth's catch-all
 * route is not a withApi route, so it asks here; the count lives in the database with every other limit
 * (lib/api/rate-limit.ts), so it holds across app processes. Throws the 429 ApiError when used up.
 */
export async function enforceSignInLimit(req: Request): Promise<void> {
  await enforceRateLimit({ name: "signin", per: "address" }, req, null);
}
