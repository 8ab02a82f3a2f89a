import { describe, expect, it } from "vitest";
import * as topUpsRoute from "@/app/api/wallet/top-ups/route";
import * as transactionsRoute from "@/app/api/wallet/transactions/route";
import * as walletRoute from "@/app/api/wallet/route";
import { setupTestDatabase } from "@/test/db";
import { api } from "@/test/fixtures/job-routes";
import { call } from "@/test/http";
import { asActor, createAgent, createService, createUser, type Actor } from "@/test/fixtures/market";

/** GET /api/wallet, GET /api/wallet/transactions and the development faucet (no Stripe configured in tests). */

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

const wallet = (as: Actor, agentId?: string) =>
  call(walletRoute.GET, "/api/wallet", { ...as, query: { agent_id: agentId } });
const history = (as: Actor, query: Record<string, string | number | undefined> = {}) =>
  call(transactionsRoute.GET, "/api/wallet/transactions", { ...as, query });
const topUp = (as: Actor, body: Record<string, unknown>) =>
  call(topUpsRoute.POST, "/api/wallet/top-ups", { ...as, body });

describe("wallet", () => {
  it("starts empty, fills from the faucet, and shows escrow and a running balance as money moves", async () => {
    const person = await createUser(db());
    const me = asActor(person);
    const empty = await wallet(me);
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      account_id: null,
      holder: { kind: "user", id: person.user.id },
      currency: "usd",
      balance: 0,
      held_in_escrow: 0,
      available: 0,
      top_ups: { mode: "faucet", faucet_remaining: 100_000 },
    });

    const credited = await topUp(me, { amount: 5_000 });
    expect(credited.status).toBe(201);
    expect(credited.body).toMatchObject({ faucet: true, status: "credited", amount: 5_000, checkout_url: null });

    const worker = await createAgent(db());
    const svc = await createService(db(), worker.agent.id, { priceUsd: 12 });
    const job = (await api.hire(me, { service_id: svc.id, title: "one" })).body.id;
    await api.hire(me, { service_id: svc.id, title: "two" });
    expect((await wallet(me)).body).toMatchObject({
      balance: 5_000,
      held_in_escrow: 2_400,
      available: 2_600,
      top_ups: { faucet_remaining: 95_000 },
    });
    expect((await api.act(me, "cancel", job)).status).toBe(200);

    const all = await history(me);
    expect(all.body.total).toBe(4);
    expect(all.body.data.map((t: any) => [t.kind, t.amount, t.balance_after])).toEqual([
      ["refund", 1_200, 3_800],
      ["hire", -1_200, 2_600],
      ["hire", -1_200, 3_800],
      ["faucet", 5_000, 5_000],
    ]);
    expect(all.body.data[0].job_id).toBe(job);
    const first = await history(me, { limit: 3 });
    const rest = await history(me, { limit: 3, cursor: first.body.next_cursor });
    expect([...first.body.data, ...rest.body.data].map((t: any) => t.id)).toEqual(all.body.data.map((t: any) => t.id));
    expect(rest.body.next_cursor).toBeNull();
    expect((await history(me, { cursor: "forged" })).status).toBe(400);
  });

  it("shows an agent's wallet to its own key and its owner only", async () => {
    const owner = await createUser(db());
    const bot = await createAgent(db(), { ownerUserId: owner.user.id });
    const stranger = await createUser(db());
    const other = await createAgent(db());

    expect((await topUp(asActor(owner), { amount: 700, agent_id: bot.agent.id })).status).toBe(201);
    expect((await topUp(asActor(bot), { amount: 300 })).status).toBe(201);
    const byOwner = await wallet(asActor(owner), bot.agent.id);
    expect(byOwner.body).toMatchObject({ holder: { kind: "agent", id: bot.agent.id }, available: 1_000 });
    expect((await wallet(asActor(bot))).body.available).toBe(1_000);
    expect((await history(asActor(owner), { agent_id: bot.agent.id })).body.total).toBe(2);
    // The owner's own wallet is separate from the agent's.
    expect((await wallet(asActor(owner))).body.available).toBe(0);

    for (const [as, id] of [
      [asActor(stranger), bot.agent.id],
      [asActor(other), bot.agent.id],
      [asActor(owner), "00000000-0000-4000-8000-000000000000"],
    ] as const) {
      expect((await wallet(as, id)).status).toBe(404);
      expect((await history(as, { agent_id: id })).status).toBe(404);
      expect((await topUp(as, { amount: 1, agent_id: id })).status).toBe(404);
    }
  });

  it("needs wallet:read to read and wallet:write to top up (403), and credentials (401)", async () => {
    const readOnly = await createAgent(db(), { scopes: ["wallet:read"] });
    const jobsOnly = await createAgent(db(), { scopes: ["jobs:read"] });
    expect((await wallet(asActor(jobsOnly))).status).toBe(403);
    expect((await history(asActor(jobsOnly))).status).toBe(403);
    expect((await wallet(asActor(readOnly))).status).toBe(200);
    expect((await topUp(asActor(readOnly), { amount: 100 })).status).toBe(403);
    expect((await wallet({ headers: {} })).status).toBe(401);
  });

  it("validates top-ups: whole cents from 1 to 1,000,000 (400)", async () => {
    const person = await createUser(db());
    for (const amount of [0, -5, 1.5, "100", 1_000_001]) {
      expect((await topUp(asActor(person), { amount })).status).toBe(400);
    }
    expect((await topUp(asActor(person), { amount: 100, extra: true })).status).toBe(400);
  });

  it("caps the faucet per wallet, also against concurrent requests (422 past it)", async () => {
    const person = await createUser(db());
    const tries = await Promise.all(Array.from({ length: 5 }, () => topUp(asActor(person), { amount: 30_000 })));
    expect(tries.map((r) => r.status).sort()).toEqual([201, 201, 201, 422, 422]);
    expect(tries.find((r) => r.status === 422)!.body.details).toEqual({
      reason: "faucet_cap",
      cap_cents: 100_000,
      remaining_cents: 10_000,
    });
    expect((await wallet(asActor(person))).body).toMatchObject({
      available: 90_000,
      top_ups: { faucet_remaining: 10_000 },
    });
  });
});
