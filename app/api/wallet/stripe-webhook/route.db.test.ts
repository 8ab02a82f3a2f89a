import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import * as webhookRoute from "@/app/api/wallet/stripe-webhook/route";
import * as topUpsRoute from "@/app/api/wallet/top-ups/route";
import * as walletRoute from "@/app/api/wallet/route";
import { setupTestDatabase } from "@/test/db";
import { signedDelivery, startStripeServer, type StripeEvent, type StripeServer } from "@/test/doubles/stripe-server";
import { call } from "@/test/http";
import { createUser, type UserFixture } from "@/test/fixtures/market";
import { setTestEnv } from "@/test/fixtures/runtime";

/**
 * Top-ups through Stripe Checkout: the real `stripe` library against the loopback double, and webhook deliveries
 * signed by the library's own test helper: paid once however delivered, never on a bad or stale signature.
 */

const KEY = "sk_test_ledger_double";
const WEBHOOK_SECRET = "whsec_ledger_double";

const holder = setupTestDatabase();
let stripe: StripeServer;
let person: UserFixture;

beforeAll(async () => {
  stripe = await startStripeServer({ secretKey: KEY });
  setTestEnv({ STRIPE_SECRET_KEY: KEY, STRIPE_WEBHOOK_SECRET: WEBHOOK_SECRET, STRIPE_API_URL: stripe.url });
});
afterAll(async () => {
  setTestEnv({ STRIPE_SECRET_KEY: undefined, STRIPE_WEBHOOK_SECRET: undefined, STRIPE_API_URL: undefined });
  await stripe.close();
});
beforeEach(async () => {
  person = await createUser(holder.current.database.db);
});

const wallet = async () => (await call(walletRoute.GET, "/api/wallet", { headers: person.headers })).body;

async function checkout(amount: number): Promise<string> {
  const res = await call(topUpsRoute.POST, "/api/wallet/top-ups", { headers: person.headers, body: { amount } });
  expect(res.status).toBe(201);
  expect(res.body).toMatchObject({ faucet: false, status: "pending", amount, transaction_id: null });
  expect(res.body.checkout_url).toMatch(/^https:\/\/checkout\.stripe\.test\//);
  return res.body.checkout_session_id as string;
}

function deliver(event: StripeEvent, opts: { secret?: string; timestamp?: number; tamper?: boolean } = {}) {
  const { payload, signature } = signedDelivery(event, opts.secret ?? WEBHOOK_SECRET, opts.timestamp);
  return call(webhookRoute.POST, "/api/wallet/stripe-webhook", {
    rawBody: opts.tamper ? payload.replace(/"amount_total": \d+/, '"amount_total": 99999999') : payload,
    headers: { "stripe-signature": signature, "content-type": "application/json; charset=utf-8" },
  });
}

describe("Stripe Checkout top-ups", () => {
  it("creates a Checkout Session for the wallet, and the faucet is off", async () => {
    const id = await checkout(2_500);
    const session = stripe.sessions.get(id)!;
    const w = await wallet();
    expect(session).toMatchObject({ mode: "payment", amount_total: 2_500, currency: "usd", status: "open" });
    expect(session.metadata).toEqual({ account_id: w.account_id, amount: "2500" });
    expect(session.success_url).toContain("/wallet?top_up=success");
    expect(w).toMatchObject({ available: 0, top_ups: { mode: "stripe", faucet_remaining: null } });
  });

  it("credits a paid session exactly once, however often (and however concurrently) it is delivered", async () => {
    const id = await checkout(4_000);
    const paid = stripe.pay(id);
    const first = await deliver(paid);
    expect(first.body).toEqual({ received: true, credited: true });
    expect((await wallet()).available).toBe(4_000);
    const again = await Promise.all([deliver(paid), deliver(paid), deliver(paid)]);
    expect(again.map((r) => [r.status, r.body.credited])).toEqual([
      [200, false],
      [200, false],
      [200, false],
    ]);
    expect((await wallet()).available).toBe(4_000);
    const entries = await call(walletRoute.GET, "/api/wallet", { headers: person.headers });
    expect(entries.body.balance).toBe(4_000);
  });

  it("credits a bank debit when it succeeds, whichever of its events arrives first", async () => {
    const id = await checkout(1_500);
    const completedUnpaid = stripe.pay(id, "async");
    const succeeded = stripe.pay(id, "settle");
    // Out of order: the success first, then the earlier "completed, unpaid".
    expect((await deliver(succeeded)).body.credited).toBe(true);
    expect((await deliver(completedUnpaid)).body.credited).toBe(false);
    expect((await wallet()).available).toBe(1_500);

    const other = await checkout(700);
    expect((await deliver(stripe.pay(other, "async"))).body.credited).toBe(false);
    expect((await wallet()).available).toBe(1_500);
    expect((await deliver(stripe.pay(other, "settle"))).body.credited).toBe(true);
    expect((await wallet()).available).toBe(2_200);
  });

  it("refuses a bad, tampered, stale or missing signature (400) and credits nothing", async () => {
    const id = await checkout(900);
    const paid = stripe.pay(id);
    const bad = await deliver(paid, { secret: "whsec_someone_else" });
    const tampered = await deliver(paid, { tamper: true });
    const stale = await deliver(paid, { timestamp: Math.floor(Date.now() / 1000) - 301 });
    const missing = await call(webhookRoute.POST, "/api/wallet/stripe-webhook", {
      rawBody: JSON.stringify(paid),
      headers: { "content-type": "application/json" },
    });
    for (const r of [bad, tampered, stale, missing]) {
      expect([r.status, r.body.error]).toEqual([400, "ValidationError"]);
    }
    expect((await wallet()).available).toBe(0);
    // Within the tolerance, the genuine delivery still credits.
    const recent = await deliver(paid, { timestamp: Math.floor(Date.now() / 1000) - 200 });
    expect(recent.body.credited).toBe(true);
    expect((await wallet()).available).toBe(900);
  });

  it("acknowledges events it does not act on", async () => {
    const id = await checkout(300);
    const expired = { ...stripe.pay(id), type: "checkout.session.expired" };
    expect((await deliver(expired)).body).toEqual({ received: true, credited: false });
    expect((await wallet()).available).toBe(0);
  });

  it("answers 503 and credits nothing when Stripe refuses the platform's key", async () => {
    setTestEnv({ STRIPE_SECRET_KEY: "sk_test_wrong" });
    try {
      const before = stripe.calls.length;
      const res = await call(topUpsRoute.POST, "/api/wallet/top-ups", {
        headers: person.headers,
        body: { amount: 100 },
      });
      expect([res.status, res.body.error]).toEqual([503, "ServiceUnavailableError"]);
      expect(stripe.calls.slice(before).map((c) => c.status)).toContain(401);
    } finally {
      setTestEnv({ STRIPE_SECRET_KEY: KEY });
    }
  });
});
