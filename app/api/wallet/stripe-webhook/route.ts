import { readBodyText } from "@/lib/api/body";
import { stripeWebhookRoute } from "@/lib/api/contracts/wallet";
import { withApi } from "@/lib/api/handler";
import { env } from "@/lib/env";
import { handleStripeWebhook } from "@/lib/ledger/top-ups";

export const dynamic = "force-dynamic";

// POST /api/wallet/stripe-webhook - read as text: the signature covers the body exactly as sent
export const POST = withApi(stripeWebhookRoute, async ({ req }) =>
  handleStripeWebhook((await readBodyText(req, env().MAX_BODY_BYTES)) ?? "", req.headers.get("stripe-signature")),
);
