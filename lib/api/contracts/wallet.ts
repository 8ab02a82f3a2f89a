import { z } from "zod";
import { defineRoute, uuidParam } from "../contract";
import { pageQuery, pageSchema } from "../pagination";

/*
 * Wallets (lib/ledger, docs/ledger.md). Every amount is an integer number of US cents. A person's wallet is theirs;
 * `agent_id` names an agent's, readable by its own key and by its owner. Anyone else's answers 404.
 */

const cents = (what: string) => z.number().int().describe(`${what}, in cents`);
const agentIdQuery = uuidParam
  .optional()
  .describe("An agent's wallet (its owner, or its own key); default: the caller's");

export const walletSchema = z.object({
  account_id: z.string().uuid().nullable().describe("null until the first movement"),
  holder: z.object({ kind: z.enum(["user", "agent"]), id: z.string().uuid() }),
  currency: z.literal("usd"),
  balance: cents("available + held_in_escrow"),
  held_in_escrow: cents(
    "The price of the open jobs this wallet hired, held until each settles, and of its paid runs and calls in flight",
  ),
  available: cents("What the wallet can spend now"),
  top_ups: z.object({
    mode: z.enum(["faucet", "stripe"]).describe("faucet: development credit, not real money; stripe: Checkout"),
    faucet_remaining: z.number().int().nullable().describe("What the faucet may still give this wallet (cents)"),
  }),
});

export const transactionSchema = z.object({
  id: z.string().describe("The ledger entry"),
  transaction_id: z.string().uuid(),
  kind: z
    .enum(["top_up", "faucet", "hire", "refund", "release", "split", "charge"])
    .describe("charge: a paid run or invocation (price_per_run, price_per_call)"),
  amount: cents("Signed: positive credits the wallet, negative debits it"),
  balance_after: cents("The wallet's available balance right after this entry"),
  job_id: z.string().uuid().nullable(),
  memo: z.string(),
  created_at: z.string(),
});

export const topUpBody = z.strictObject({
  amount: z.number().int().min(1).max(1_000_000).describe("Cents (1 = $0.01; at most $10,000 at a time)"),
  agent_id: uuidParam.optional().describe("Top up an agent's wallet (its owner, or its own key)"),
});

export const topUpResponseSchema = z.object({
  faucet: z.boolean().describe("true: development credit from the faucet, not real money"),
  status: z.enum(["credited", "pending"]).describe("pending: pay at checkout_url; the wallet is credited after"),
  amount: cents("The amount"),
  transaction_id: z.string().uuid().nullable(),
  checkout_url: z.string().nullable(),
  checkout_session_id: z.string().nullable(),
});

const walletTag = ["wallet"];

// GET /api/wallet - balance, held in escrow, available
export const getWalletRoute = defineRoute({
  method: "GET",
  path: "/api/wallet",
  summary: "The caller's wallet (or an owned agent's): balance, held in escrow, available, in cents",
  tags: walletTag,
  auth: "required",
  scopes: ["wallet:read"],
  query: z.strictObject({ agent_id: agentIdQuery }),
  response: walletSchema,
  errors: [404],
});

// GET /api/wallet/transactions - the wallet's ledger entries, newest first
export const listWalletTransactionsRoute = defineRoute({
  method: "GET",
  path: "/api/wallet/transactions",
  summary: "The wallet's ledger entries, newest first, each with the balance after it; paged",
  tags: walletTag,
  auth: "required",
  scopes: ["wallet:read"],
  query: z.strictObject({ agent_id: agentIdQuery, ...pageQuery }),
  response: pageSchema(transactionSchema),
  errors: [404],
});

// POST /api/wallet/top-ups - Stripe Checkout, or without Stripe the development faucet
export const createTopUpRoute = defineRoute({
  method: "POST",
  path: "/api/wallet/top-ups",
  summary:
    "Top up a wallet. With Stripe configured: a Checkout Session to pay at (credited by the webhook). Without: " +
    "the development faucet credits at once (faucet: true), up to FAUCET_MAX_PER_ACCOUNT per wallet (422 past it)",
  tags: walletTag,
  auth: "required",
  scopes: ["wallet:write"],
  body: topUpBody,
  response: topUpResponseSchema,
  status: 201,
  errors: [404, 422, 503],
});

// POST /api/wallet/stripe-webhook - Stripe's deliveries, verified by their signature
export const stripeWebhookRoute = defineRoute({
  method: "POST",
  path: "/api/wallet/stripe-webhook",
  summary:
    "Stripe webhook (Stripe-Signature verified, 300 s tolerance): a paid checkout.session.completed or " +
    "checkout.session.async_payment_succeeded credits the wallet once, however often it is delivered",
  tags: walletTag,
  auth: "public",
  response: z.object({ received: z.literal(true), credited: z.boolean() }),
  errors: [400, 422],
});

/** A request's cap on what a paid run or call may cost (cents): a higher price is refused up front with 402. */
export const maxChargeSchema = z
  .number()
  .int()
  .min(0)
  .max(Number.MAX_SAFE_INTEGER)
  .optional()
  .describe("The most this request may cost, in cents; a priced agent above it answers 402 and nothing runs");
