import { and, count, eq, inArray, sql } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agents, events, jobs, ledgerAccounts, ledgerTransactions, messages, services } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";
import { balanceOf, fund } from "@/test/fixtures/ledger";
import { api } from "@/test/fixtures/job-routes";
import { asActor, createAgent, createService } from "@/test/fixtures/market";
import { startSchedules } from "@/lib/schedules";
import { autoAcceptDeliveredJobs } from "./job-auto-accept";

/** The job rules of the money issue: auto-accept, max_revisions, verified ratings (docs/jobs.md, docs/ledger.md). */

const holder = setupTestDatabase();
const db = () => holder.current.database.db;
const HOUR = 3600_000;

async function delivered(opts: { priceUsd?: number; maxRevisions?: number } = {}) {
  const worker = await createAgent(db());
  const client = await createAgent(db());
  const service = await createService(db(), worker.agent.id, { priceUsd: opts.priceUsd ?? 10 });
  if (opts.maxRevisions !== undefined) {
    await db().update(services).set({ maxRevisions: opts.maxRevisions }).where(eq(services.id, service.id));
  }
  await fund(client, 100_000);
  const id = (await api.hire(asActor(client), { service_id: service.id, title: "rules" })).body.id as string;
  expect((await api.act(asActor(worker), "start", id)).status).toBe(200);
  expect((await api.act(asActor(worker), "deliver", id, { content: "v1" })).status).toBe(200);
  return { worker, client, id };
}

async function settlements(jobId: string): Promise<number> {
  const [row] = await db()
    .select({ n: count() })
    .from(ledgerTransactions)
    .where(and(eq(ledgerTransactions.jobId, jobId), inArray(ledgerTransactions.kind, ["release", "refund"])));
  return row!.n;
}

describe("auto-accept", () => {
  it("completes a job delivered AUTO_ACCEPT_AFTER_HOURS (72) ago, pays the worker and tells both", async () => {
    const { worker, client, id } = await delivered({ priceUsd: 20 });
    const detail = await api.get(asActor(client), id);
    const due = new Date(detail.body.auto_accept_at as string).getTime();
    expect(due - new Date(detail.body.delivered_at as string).getTime()).toBe(72 * HOUR);

    expect(await autoAcceptDeliveredJobs(new Date(due - 60_000))).not.toContain(id); // not yet
    expect(await autoAcceptDeliveredJobs(new Date(due + 1_000))).toContain(id);

    const after = await api.get(asActor(client), id);
    expect(after.body).toMatchObject({ status: "completed", rating: null, auto_accept_at: null });
    expect(after.body.payment).toMatchObject({ status: "released", amount_cents: 2000, fee_cents: 100 });
    expect(await balanceOf(worker)).toBe(1900);
    const [escrow] = await db().select().from(ledgerAccounts).where(eq(ledgerAccounts.jobId, id));
    expect(escrow!.balance).toBe(0);
    const sent = await db().select().from(messages).where(eq(messages.jobId, id));
    const automatic = sent.filter((m) => m.subject.startsWith("Job completed automatically"));
    expect(automatic.map((m) => m.recipientAgentId).sort()).toEqual([client.agent.id, worker.agent.id].sort());
    const [completed] = await db()
      .select()
      .from(events)
      .where(and(eq(events.subjectId, id), eq(events.type, "job_completed")));
    expect(completed!.data).toMatchObject({ auto_accepted: true, fee_cents: 100 });
    // A second sweep finds nothing to do.
    expect(await autoAcceptDeliveredJobs(new Date(due + 2_000))).not.toContain(id);
    expect(await settlements(id)).toBe(1);
  });

  it("counts from the latest delivery, and leaves jobs waiting on a revision alone", async () => {
    const { worker, client, id } = await delivered();
    await db()
      .update(jobs)
      .set({ deliveredAt: sql`now() - interval '100 hours'` })
      .where(eq(jobs.id, id));
    expect((await api.act(asActor(client), "request-revision", id, { reason: "more" })).status).toBe(200);
    expect(await autoAcceptDeliveredJobs()).not.toContain(id); // revision_requested
    expect((await api.act(asActor(worker), "deliver", id, { content: "v2" })).status).toBe(200);
    expect(await autoAcceptDeliveredJobs()).not.toContain(id); // delivered just now
    expect(await autoAcceptDeliveredJobs(new Date(), { afterHours: 0 })).toContain(id);
  });

  it("races the client's complete: exactly one wins, the worker is paid once", async () => {
    for (let round = 0; round < 5; round++) {
      const { worker, client, id } = await delivered();
      const [completed, swept] = await Promise.all([
        api.act(asActor(client), "complete", id, { rating: 4 }),
        autoAcceptDeliveredJobs(new Date(Date.now() + 100 * HOUR)),
      ]);
      const sweepWon = swept.includes(id);
      expect(completed.status).toBe(sweepWon ? 409 : 200);
      const [row] = await db().select().from(jobs).where(eq(jobs.id, id));
      expect([row!.status, row!.rating]).toEqual(["completed", sweepWon ? null : 4]);
      expect(await settlements(id)).toBe(1);
      expect(await balanceOf(worker)).toBe(950);
    }
  });

  it("two concurrent sweeps complete each due job once", async () => {
    const made = await Promise.all([delivered(), delivered(), delivered()]);
    const later = new Date(Date.now() + 100 * HOUR);
    const [a, b] = await Promise.all([autoAcceptDeliveredJobs(later), autoAcceptDeliveredJobs(later)]);
    for (const { id } of made) {
      expect([a.includes(id), b.includes(id)].filter(Boolean)).toHaveLength(1);
      expect(await settlements(id)).toBe(1);
    }
  });

  it("is a pg-boss schedule that its worker runs (the scheduled sweep completes a due job)", async () => {
    const { id } = await delivered();
    await db()
      .update(jobs)
      .set({ deliveredAt: sql`now() - interval '73 hours'` })
      .where(eq(jobs.id, id));
    const boss = await startSchedules(holder.current.database);
    try {
      const names = (await boss.getSchedules()).map((s) => s.name);
      expect(names).toEqual(expect.arrayContaining(["jobs-auto-accept", "idempotency-sweep"]));
      await boss.send("jobs-auto-accept", {}); // what the cron sends every minute, now
      const deadline = Date.now() + 20_000;
      let status = "";
      while (Date.now() < deadline) {
        const [row] = await db().select({ status: jobs.status }).from(jobs).where(eq(jobs.id, id));
        status = row!.status;
        if (status === "completed") break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(status).toBe("completed");
    } finally {
      await boss.stop({ graceful: false, close: false, wait: true });
    }
  });
});

describe("max_revisions", () => {
  it("refuses a revision request past the service's max_revisions with 409 max_revisions_reached", async () => {
    const { worker, client, id } = await delivered({ maxRevisions: 1 });
    const before = await api.get(asActor(client), id);
    expect(before.body).toMatchObject({ max_revisions: 1, actions: expect.arrayContaining(["request-revision"]) });
    expect((await api.act(asActor(client), "request-revision", id, { reason: "again" })).status).toBe(200);
    expect((await api.act(asActor(worker), "deliver", id, { content: "v2" })).status).toBe(200);
    const refused = await api.act(asActor(client), "request-revision", id, { reason: "once more" });
    expect(refused.status).toBe(409);
    expect(refused.body).toMatchObject({
      error: "ConflictError",
      details: { reason: "max_revisions_reached", revision_count: 1, max_revisions: 1, status: "delivered" },
    });
    expect(refused.body.message).toMatch(/complete it or open a dispute/);
    const detail = await api.get(asActor(client), id);
    expect(detail.body.status).toBe("delivered");
    expect(detail.body.actions).not.toContain("request-revision");
    expect((await api.act(asActor(client), "complete", id, { rating: 3 })).status).toBe(200);
  });

  it("defaults to 2, copied at hire: a later change to the service does not move an open job's limit", async () => {
    const { client, id } = await delivered();
    const [job] = await db().select().from(jobs).where(eq(jobs.id, id));
    expect(job!.maxRevisions).toBe(2);
    await db().update(services).set({ maxRevisions: 0 }).where(eq(services.id, job!.serviceId));
    expect((await api.act(asActor(client), "request-revision", id, { reason: "still allowed" })).status).toBe(200);
  });

  it("lets exactly one of concurrent revision requests through", async () => {
    const { client, id } = await delivered({ maxRevisions: 5 });
    const results = await Promise.all(
      Array.from({ length: 8 }, () => api.act(asActor(client), "request-revision", id, { reason: "race" })),
    );
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    const [job] = await db().select().from(jobs).where(eq(jobs.id, id));
    expect(job!.revisionCount).toBe(1);
  });
});

describe("verified ratings", () => {
  it("reputation counts only ratings of paid jobs; auto-accepted jobs count as completed, unrated", async () => {
    const { worker, client, id } = await delivered();
    expect((await api.act(asActor(client), "complete", id, { rating: 5 })).status).toBe(200);
    // A completed job that moved no money (as one hired before payments existed), rated 1: shown, not counted.
    const [unpaid] = await db()
      .insert(jobs)
      .values({
        serviceId: (await db().select().from(jobs).where(eq(jobs.id, id)))[0]!.serviceId,
        clientAgentId: client.agent.id,
        workerAgentId: worker.agent.id,
        title: "unpaid",
        priceCents: 1000,
        status: "completed",
        rating: 1,
        completedAt: new Date(),
      })
      .returning();
    const other = await delivered();
    // Another paid job of the same worker, auto-accepted.
    await db().update(jobs).set({ workerAgentId: worker.agent.id }).where(eq(jobs.id, other.id));
    await autoAcceptDeliveredJobs(new Date(Date.now() + 100 * HOUR));
    const [row] = await db().select().from(agents).where(eq(agents.id, worker.agent.id));
    // A weighted average of floats: 5 to the last bit is not promised (5.000000000000001 has been seen).
    expect(row!.reputation).toBeCloseTo(5, 9);
    expect([row!.ratingCount, row!.jobsCompleted]).toEqual([1, 3]);

    const reviewsRoute = await import("@/app/api/agents/[id]/reviews/route");
    const { call } = await import("@/test/http");
    const reviews = await call(reviewsRoute.GET, `/api/agents/${worker.agent.id}/reviews`, {
      params: { id: worker.agent.id },
    });
    const byJob = new Map((reviews.body.recent as { job_id: string }[]).map((r) => [r.job_id, r]));
    expect(byJob.get(id)).toMatchObject({ verified_purchase: true, paid_cents: 1000 });
    expect(byJob.get(unpaid!.id)).toMatchObject({ verified_purchase: false, paid_cents: null });
  });
});
