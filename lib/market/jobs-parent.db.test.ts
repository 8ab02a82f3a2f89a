import { eq } from "drizzle-orm";
import { beforeAll, describe, expect, it } from "vitest";
import { events, jobs, messages } from "@/db/schema";
import { appendEvents } from "@/lib/events/log";
import { setupTestDatabase } from "@/test/db";
import { failJobsOfRetiredWorker } from "./jobs";
import { api } from "@/test/fixtures/job-routes";
import { asActor, createAgent, createService, createUser, type AgentFixture } from "@/test/fixtures/market";
import { fund } from "@/test/fixtures/ledger";

const holder = setupTestDatabase();
const db = () => holder.current.database.db;

let client: AgentFixture; // hires the parent
let lead: AgentFixture; // works on the parent, hires children
let sub: AgentFixture; // works on the children
let leadService: string;
let subService: string;

beforeAll(async () => {
  client = await createAgent(db(), { name: "Client" });
  lead = await createAgent(db(), { name: "Lead" });
  sub = await createAgent(db(), { name: "Sub" });
  await Promise.all([fund(client, 1_000_000), fund(lead, 1_000_000)]);
  leadService = (await createService(db(), lead.agent.id, { priceUsd: 100 })).id;
  subService = (await createService(db(), sub.agent.id, { priceUsd: 10 })).id;
});

async function parentInProgress() {
  const id = (await api.hire(asActor(client), { service_id: leadService, title: "Parent" })).body.id as string;
  expect((await api.act(asActor(lead), "start", id)).status).toBe(200);
  return id;
}

const hireChild = (as: AgentFixture | { headers: Record<string, string> }, parent: string, title = "Child") =>
  api.hire("key" in as ? asActor(as) : as, { service_id: subService, title, parent_job_id: parent });

describe("parent and child jobs", () => {
  it("lets the worker of an in-progress job hire a child; detail shows both directions", async () => {
    const parent = await parentInProgress();
    const child = await hireChild(lead, parent);
    expect(child.status).toBe(201);
    expect(child.body).toMatchObject({
      parent_job_id: parent,
      client: { kind: "agent", id: lead.agent.id },
      worker: { id: sub.agent.id },
    });
    const leadView = await api.get(asActor(lead), parent);
    expect(leadView.body.children.map((c: any) => c.id)).toEqual([child.body.id]);
    expect(leadView.body.parent).toBeNull();
    const childView = await api.get(asActor(lead), child.body.id);
    expect([childView.body.viewer_role, childView.body.parent.id]).toEqual(["client", parent]);
    // The sub-worker is no party of the parent: it sees the child but not the parent's details.
    const subView = await api.get(asActor(sub), child.body.id);
    expect([subView.status, subView.body.parent, subView.body.parent_job_id]).toEqual([200, null, parent]);
    // Likewise the parent's client does not see the sub-job.
    expect((await api.get(asActor(client), parent)).body.children).toEqual([]);
  });

  it("refuses child hires by anyone but the parent's worker, and outside in_progress/revision_requested", async () => {
    const parent = await parentInProgress();
    const stranger = await createAgent(db());
    expect((await hireChild(stranger, parent)).status).toBe(404);
    expect((await hireChild(client, parent)).status).toBe(403);
    expect((await hireChild(lead, "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    const pending = (await api.hire(asActor(client), { service_id: leadService, title: "P" })).body.id;
    const res = await hireChild(lead, pending);
    expect(res.status).toBe(409);
    expect(res.body.details).toEqual({ status: "pending", action: "hire-child" });
    // Hiring your own service as a child is refused like any own-service hire.
    const own = await api.hire(asActor(lead), { service_id: leadService, title: "me", parent_job_id: parent });
    expect(own.status).toBe(422);
  });

  it("makes the parent's worker agent the child's client when its owner hires", async () => {
    const owner = await createUser(db());
    const bot = await createAgent(db(), { ownerUserId: owner.user.id });
    await fund(bot, 10_000);
    const svc = await createService(db(), bot.agent.id);
    const parent = (await api.hire(asActor(client), { service_id: svc.id, title: "P" })).body.id;
    await api.act(asActor(bot), "start", parent);
    const child = await hireChild({ headers: owner.headers }, parent);
    expect(child.status).toBe(201);
    expect(child.body.client).toMatchObject({ kind: "agent", id: bot.agent.id });
  });

  it("refuses to deliver a parent while a child is open (409 listing them), then allows it", async () => {
    const parent = await parentInProgress();
    const c1 = (await hireChild(lead, parent, "c1")).body.id;
    const c2 = (await hireChild(lead, parent, "c2")).body.id;
    expect((await api.get(asActor(lead), parent)).body.actions).toEqual([]);
    const blocked = await api.act(asActor(lead), "deliver", parent, { content: "too early" });
    expect(blocked.status).toBe(409);
    expect(blocked.body.details.action).toBe("deliver");
    expect(blocked.body.details.open_children.map((c: any) => c.id).sort()).toEqual([c1, c2].sort());
    const [row] = await db().select().from(jobs).where(eq(jobs.id, parent));
    expect(row!.status).toBe("in_progress");

    await api.act(asActor(lead), "cancel", c1);
    await api.act(asActor(sub), "start", c2);
    await api.act(asActor(sub), "deliver", c2, { content: "part" });
    expect((await api.act(asActor(lead), "deliver", parent, { content: "still early" })).status).toBe(409);
    expect((await api.act(asActor(lead), "complete", c2, { rating: 5 })).status).toBe(200);
    expect((await api.get(asActor(lead), parent)).body.actions).toEqual(["deliver"]);
    expect((await api.act(asActor(lead), "deliver", parent, { content: "whole" })).status).toBe(200);
    // Delivered: no more children until the client asks for a revision.
    expect((await hireChild(lead, parent)).status).toBe(409);
    await api.act(asActor(client), "request-revision", parent, { reason: "more" });
    expect((await hireChild(lead, parent, "c3")).status).toBe(201);
  });

  it("never lets a child slip under a parent being delivered (concurrent hire and deliver)", async () => {
    for (let round = 0; round < 5; round++) {
      const parent = await parentInProgress();
      const [hire, deliver] = await Promise.all([
        hireChild(lead, parent),
        api.act(asActor(lead), "deliver", parent, { content: "x" }),
      ]);
      // Either the child came first (delivery refused) or the delivery did (child refused); never both.
      const childWon = hire.status === 201;
      expect(deliver.status).toBe(childWon ? 409 : 200);
      if (!childWon) expect(hire.status).toBe(409);
      const [row] = await db().select().from(jobs).where(eq(jobs.id, parent));
      const kids = await db().select().from(jobs).where(eq(jobs.parentJobId, parent));
      expect([row!.status, kids.length]).toEqual(childWon ? ["in_progress", 1] : ["delivered", 0]);
    }
  });
});

describe("failed", () => {
  it("fails a retired worker's open jobs and cancels their pending children, with messages and events", async () => {
    const doomed = await createAgent(db(), { name: "Doomed" });
    await fund(doomed, 10_000);
    const svc = await createService(db(), doomed.agent.id);
    const open = (await api.hire(asActor(client), { service_id: svc.id, title: "open" })).body.id;
    const working = (await api.hire(asActor(client), { service_id: svc.id, title: "working" })).body.id;
    await api.act(asActor(doomed), "start", working);
    const child = (await api.hire(asActor(doomed), { service_id: subService, title: "kid", parent_job_id: working }))
      .body.id;
    const done = (await api.hire(asActor(client), { service_id: svc.id, title: "cancelled" })).body.id;
    await api.act(asActor(client), "cancel", done);

    await db().transaction(async (tx) => {
      const evs = await failJobsOfRetiredWorker(tx, doomed.agent.id);
      await appendEvents(tx, evs);
    });
    const status = async (id: string) => (await db().select().from(jobs).where(eq(jobs.id, id)))[0]!;
    expect((await status(open)).status).toBe("failed");
    expect((await status(working)).failureReason).toBe("The worker agent was retired");
    expect((await status(child)).status).toBe("cancelled");
    expect((await status(done)).status).toBe("cancelled");
    const failedEvents = await db().select().from(events).where(eq(events.type, "job_failed"));
    expect(failedEvents.map((e) => e.subjectId).sort()).toEqual([open, working].sort());
    const toClient = await db().select().from(messages).where(eq(messages.jobId, working));
    expect(toClient.map((m) => [m.subject, m.recipientAgentId])).toContainEqual([
      "Job failed: working",
      client.agent.id,
    ]);
    const toSub = await db().select().from(messages).where(eq(messages.jobId, child));
    expect(toSub.map((m) => [m.subject, m.recipientAgentId])).toContainEqual(["Job cancelled: kid", sub.agent.id]);
    const view = await api.get(asActor(client), working);
    expect([view.body.status, view.body.actions]).toEqual(["failed", []]);
  });
});
