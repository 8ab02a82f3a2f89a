import { createHash } from "node:crypto";
import { asc, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as agentRoute from "@/app/api/agents/[id]/route";
import * as agentsRoute from "@/app/api/agents/route";
import * as servicesRoute from "@/app/api/services/route";
import * as topUpsRoute from "@/app/api/wallet/top-ups/route";
import * as walletRoute from "@/app/api/wallet/route";
import { events } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { api } from "@/test/fixtures/job-routes";

/**
 * The end-to-end flow as one test, through the HTTP handlers only: register two agents, publish a service,
 * top up the client's wallet (the development faucet), hire it, start, deliver, ask for a revision, deliver again,
 * complete with a rating; then both wallets, the worker's reputation, both inboxes and the event log.
 */

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

const HIRING_EVENTS = [
  "job_created",
  "job_started",
  "job_delivered",
  "job_revision_requested",
  "job_completed",
  "message_created",
  "agent_reputation_changed",
];

describe("the verify flow: hire, deliver, complete with a rating", () => {
  it("runs the whole hiring workflow", async () => {
    const alice = await call(agentsRoute.POST, "/api/agents", {
      body: { name: "Alice", capabilities: ["coding", "testing"], description: "I write and test code" },
    });
    expect(alice.status).toBe(201);
    const bob = await call(agentsRoute.POST, "/api/agents", { body: { name: "Bob", capabilities: ["review"] } });
    expect(bob.status).toBe(201);
    const A = { key: alice.body.api_key as string };
    const B = { key: bob.body.api_key as string };

    const service = await call(servicesRoute.POST, "/api/services", {
      ...A,
      body: {
        name: "Code Review Service",
        description: "I review your code for bugs and best practices",
        price_usd: 25,
        output_type: "text",
        required_inputs: [{ name: "repo_url", type: "string" }],
        capabilities_required: ["coding"],
      },
    });
    expect(service.status).toBe(201);

    const wallet = async (who: { key: string }) => (await call(walletRoute.GET, "/api/wallet", who)).body;
    const topUp = await call(topUpsRoute.POST, "/api/wallet/top-ups", { ...B, body: { amount: 10_000 } });
    expect(topUp.status).toBe(201);
    expect(topUp.body).toMatchObject({ faucet: true, status: "credited", amount: 10_000 });
    expect(await wallet(B)).toMatchObject({ balance: 10_000, held_in_escrow: 0, available: 10_000 });

    const hired = await api.hire(B, {
      service_id: service.body.id,
      title: "Review my Python code",
      input_data: { repo_url: "https://github.com/example/repo" },
    });
    expect(hired.status).toBe(201);
    expect(hired.body).toMatchObject({ status: "pending", price_usd: 25, price_cents: 2500 });
    expect(hired.body.payment).toMatchObject({ status: "held", amount_cents: 2500 });
    const jobId = hired.body.id as string;
    // The client's balance drops by the price at hire: it is held in the job's escrow.
    expect(await wallet(B)).toMatchObject({ balance: 10_000, held_in_escrow: 2_500, available: 7_500 });
    expect(await wallet(A)).toMatchObject({ balance: 0, available: 0 });

    const steps: [typeof A, Parameters<typeof api.act>[1], Record<string, unknown>, string][] = [
      [A, "start", {}, "in_progress"],
      [A, "deliver", { content: "Found 3 bugs." }, "delivered"],
      [B, "request-revision", { reason: "Please include line numbers" }, "revision_requested"],
      [A, "deliver", { content: "Found 3 bugs: lines 4, 8, 15." }, "delivered"],
      [B, "complete", { rating: 5, review: "Excellent" }, "completed"],
    ];
    for (const [who, action, body, status] of steps) {
      const res = await api.act(who, action, jobId, body);
      expect([action, res.status, res.body.status]).toEqual([action, 200, status]);
    }

    // The worker's balance rises by the price less the 5% platform fee at completion; nothing is held any more.
    expect(await wallet(A)).toMatchObject({ balance: 2_375, held_in_escrow: 0, available: 2_375 });
    expect(await wallet(B)).toMatchObject({ balance: 7_500, held_in_escrow: 0, available: 7_500 });

    const profile = await call(agentRoute.GET, `/api/agents/${alice.body.id}`, { params: { id: alice.body.id } });
    expect(profile.body).toMatchObject({ reputation: 5, rating_count: 1, jobs_completed: 1 });

    const detail = await api.get(B, jobId);
    expect(detail.body).toMatchObject({ status: "completed", rating: 5, review: "Excellent", revision_count: 1 });
    expect(detail.body.deliverables_count).toBe(2);
    expect(detail.body.payment).toMatchObject({ status: "released", amount_cents: 2500, fee_cents: 125 });
    expect(detail.body.receipt).toMatchObject({
      paid: true,
      transaction_ids: [hired.body.payment.hire_transaction_id, detail.body.payment.settle_transaction_id],
      amount_cents: 2500,
      fee_cents: 125,
      worker_cents: 2375,
      // SHA-256 of the accepted (second) deliverable.
      deliverable_sha256: createHash("sha256").update("Found 3 bugs: lines 4, 8, 15.").digest("hex"),
      rating: 5,
    });
    expect((await api.deliverables(B, jobId)).body.data.map((d: any) => d.revision)).toEqual([1, 2]);

    const aliceInbox = await api.inbox(A);
    expect(aliceInbox.body.data.map((m: any) => m.subject)).toEqual([
      "Job completed: Review my Python code",
      "Revision requested: Review my Python code",
      "New job: Review my Python code",
    ]);
    expect(aliceInbox.body.unread_count).toBe(3);
    const bobInbox = await api.inbox(B);
    expect(bobInbox.body.data.map((m: any) => m.subject)).toEqual([
      "Work delivered: Review my Python code",
      "Work delivered: Review my Python code",
      "Job started: Review my Python code",
    ]);

    const log = await db().select().from(events).where(inArray(events.type, HIRING_EVENTS)).orderBy(asc(events.id));
    expect(log.map((e) => e.type)).toEqual([
      "job_created",
      "message_created",
      "job_started",
      "message_created",
      "job_delivered",
      "message_created",
      "job_revision_requested",
      "message_created",
      "job_delivered",
      "message_created",
      "job_completed",
      "message_created",
      "agent_reputation_changed",
    ]);
    for (const e of log.filter((e) => e.type.startsWith("job_"))) {
      expect([...e.agentIds].sort()).toEqual([alice.body.id, bob.body.id].sort());
      expect(e.subjectId).toBe(jobId);
    }
    expect(log.at(-1)!.data).toMatchObject({ agent_id: alice.body.id, reputation: 5, jobs_completed: 1 });
  });
});
