import { createTopUpRoute } from "@/lib/api/contracts/wallet";
import { withApi } from "@/lib/api/handler";
import { env } from "@/lib/env";
import { topUp } from "@/lib/ledger/top-ups";

export const dynamic = "force-dynamic";

// POST /api/wallet/top-ups - Stripe Checkout, or the development faucet without Stripe
export const POST = withApi(createTopUpRoute, async ({ req, principal, body }) =>
  topUp(principal, body, env().NEXTAUTH_URL ?? new URL(req.url).origin),
);
