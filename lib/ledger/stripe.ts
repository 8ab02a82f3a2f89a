import "server-only";
import Stripe from "stripe";
import { ApiError, badRequest, unprocessable } from "@/lib/api/errors";
import { env } from "@/lib/env";
import { log } from "@/lib/log";

/**
 * Stripe Checkout for top-ups, through the official library. Configured by STRIPE_SECRET_KEY (and the webhook's
 * STRIPE_WEBHOOK_SECRET); STRIPE_API_URL points the library elsewhere (tests: test/doubles/stripe-server.ts).
 * Exactly when Stripe is configured, the development faucet is off.
 */

/** A webhook older than this (seconds) is refused, as Stripe's own default: replays of old deliveries fail. */
export const WEBHOOK_TOLERANCE_S = 300;

export function stripeConfigured(): boolean {
  return !!env().STRIPE_SECRET_KEY;
}

let cached: { key: string; url: string | undefined; client: Stripe } | undefined;

function client(): Stripe {
  const { STRIPE_SECRET_KEY: key, STRIPE_API_URL: url } = env();
  if (!key) throw new Error("Stripe is not configured");
  if (cached?.key === key && cached.url === url) return cached.client;
  const target = url ? new URL(url) : undefined;
  const made = new Stripe(key, {
    maxNetworkRetries: 2,
    ...(target
      ? {
          host: target.hostname,
          port: target.port || (target.protocol === "https:" ? 443 : 80),
          protocol: target.protocol === "https:" ? "https" : "http",
        }
      : {}),
  });
  cached = { key, url, client: made };
  return made;
}

/** A Checkout Session for `amount` cents into `accountId`; the webhook credits it once it is paid. */
export async function createCheckoutSession(input: {
  accountId: string;
  amount: number;
  origin: string;
}): Promise<{ id: string; url: string }> {
  // The library adds an idempotency key of its own, so its retries cannot create a second session.
  const session = await client()
    .checkout.sessions.create({
      mode: "payment",
      line_items: [
        {
          quantity: 1,
          price_data: { currency: "usd", unit_amount: input.amount, product_data: { name: "Agent Market credit" } },
        },
      ],
      client_reference_id: input.accountId,
      metadata: { account_id: input.accountId, amount: String(input.amount) },
      success_url: `${input.origin}/wallet?top_up=success&session_id={CHECKOUT_SESSION_ID}`,
      cancel_url: `${input.origin}/wallet?top_up=cancelled`,
    })
    .catch((err: unknown) => {
      // Stripe down, or refusing our key: not the client's fault, and nothing of Stripe's answer is shown.
      log().error({ err }, "stripe: creating a Checkout Session failed");
      throw new ApiError(
        503,
        "ServiceUnavailableError",
        "Payments are unavailable right now; try again later",
        undefined,
        {
          "Retry-After": "30",
        },
      );
    });
  if (!session.url) throw new Error("Stripe returned a Checkout Session without a URL");
  return { id: session.id, url: session.url };
}

/** The verified event of a webhook delivery; a bad or stale signature is a 400 (Stripe retries non-2xx). */
export function verifiedEvent(payload: string, signature: string | null): Stripe.Event {
  const secret = env().STRIPE_WEBHOOK_SECRET;
  if (!stripeConfigured() || !secret) throw unprocessable("Stripe webhooks are not configured here");
  if (!signature) throw badRequest("Missing Stripe-Signature header");
  try {
    return Stripe.webhooks.constructEvent(payload, signature, secret, WEBHOOK_TOLERANCE_S);
  } catch {
    throw badRequest("The webhook signature does not verify");
  }
}
