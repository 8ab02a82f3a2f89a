import { and, count, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { agents, deliverables, events, jobs, messages } from "@/db/schema";
import { JOB_ACTIONS, TRANSITIONS, type JobAction } from "./job-machine";
import { api, validBody } from "@/test/fixtures/job-routes";
import { asActor, createAgent, setupHiringTest, createService, createUser } from "@/test/fixtures/market";
import { fund } from "@/test/fixtures/ledger";

const { db, worker, client, stranger, service } = setupHiringTest({
  name: "Summaries",
  priceUsd: 12.5,
  requiredInputs: [{ name: "topic", type: "string" }],
});

async function hire(as = client, input: Record<string, unknown> = { topic: "x" }): Promise<string> {
  const res = await api.hire(asActor(as), { service_id: service.id, title: "A job", input_data: input });
  expect(res.status).toBe(201);
  return res.body.id as string;
}

/** Brings a fresh job to `status` through the API. */
async function jobIn(
  status: "pending" | "in_progress" | "delivered" | "revision_requested" | "completed" | "cancelled",
) {
  const id = await hire();
  const path: Record<typeof status, JobAction[]> = {
    pending: [],
    in_progress: ["start"],
    delivered: ["start", "deliver"],
    revision_requested: ["start", "deliver", "request-revision"],
    completed: ["start", "deliver", "complete"],
    cancelled: ["cancel"],
  };
  for (const action of path[status]) {
    const who = TRANSITIONS[action].role === "worker" ? worker : client;
    const res = await api.act(asActor(who), action, id, validBody(action));
    expect(res.status, `${action}: ${JSON.stringify(res.body)}`).toBe(200);
  }
  return id;
}

async function snapshot(jobId: string) {
  const [job] = await db().select().from(jobs).where(eq(jobs.id, jobId));
  const [m] = await db().select({ n: count() }).from(messages).where(eq(messages.jobId, jobId));
  const [d] = await db().select({ n: count() }).from(deliverables).where(eq(deliverables.jobId, jobId));
  const [e] = await db().select({ n: count() }).from(events);
  const [w] = await db().select().from(agents).where(eq(agents.id, worker.agent.id));
  return { job, messages: m?.n, deliverables: d?.n, events: e?.n, worker: w };
}

describe("hire", () => {
  it("creates a pending job at the service's price, with a message to the worker and events", async () => {
    const res = await api.hire(asActor(client), {
      service_id: service.id,
      title: "Summarise Postgres",
      input_data: { topic: "postgres", extra: [1] },
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      status: "pending",
      price_usd: 12.5,
      service_name: "Summaries",
      title: "Summarise Postgres",
      input_data: { topic: "postgres", extra: [1] },
      client: { kind: "agent", id: client.agent.id, name: "Client" },
      worker: { id: worker.agent.id, name: "Worker" },
      parent_job_id: null,
      revision_count: 0,
    });
    const msgs = await db().select().from(messages).where(eq(messages.jobId, res.body.id));
    expect(msgs).toHaveLength(1);
    expect(msgs[0]).toMatchObject({ kind: "system", recipientAgentId: worker.agent.id, read: false });
    const evs = await db().select().from(events).where(eq(events.subjectId, res.body.id));
    expect(evs.map((e) => e.type)).toEqual(["job_created"]);
    expect([...evs[0]!.agentIds].sort()).toEqual([client.agent.id, worker.agent.id].sort());
  });

  it("checks input_data against required_inputs (422 naming the fields)", async () => {
    const missing = await api.hire(asActor(client), { service_id: service.id, title: "t", input_data: {} });
    expect(missing.status).toBe(422);
    expect(missing.body.details.fields).toEqual({ "input_data.topic": "required string input is missing" });
    const wrong = await api.hire(asActor(client), { service_id: service.id, title: "t", input_data: { topic: 3 } });
    expect(wrong.status).toBe(422);
    expect(wrong.body.details.fields).toEqual({ "input_data.topic": "expected string, got number" });
  });

  it("rejects malformed bodies (400) and unknown services (404)", async () => {
    expect((await api.hire(asActor(client), { service_id: service.id, input_data: { topic: "x" } })).status).toBe(400);
    expect((await api.hire(asActor(client), { service_id: "nope", title: "t" })).status).toBe(400);
    const unknown = await api.hire(asActor(client), {
      service_id: "00000000-0000-4000-8000-000000000000",
      title: "t",
    });
    expect(unknown.status).toBe(404);
  });

  it("refuses hiring your own service, as the agent or as its owner (422)", async () => {
    const own = await api.hire(asActor(worker), { service_id: service.id, title: "t", input_data: { topic: "x" } });
    expect(own.status).toBe(422);
    expect(own.body.details.reason).toBe("own_service");
    const person = await createUser(db());
    const owned = await createAgent(db(), { ownerUserId: person.user.id });
    const svc = await createService(db(), owned.agent.id);
    const res = await api.hire(asActor(person), { service_id: svc.id, title: "t" });
    expect(res.status).toBe(422);
    expect(res.body.details.reason).toBe("own_service");
  });

  it("refuses inactive services and retired workers (422)", async () => {
    const inactive = await createService(db(), worker.agent.id, { active: false });
    const a = await api.hire(asActor(client), { service_id: inactive.id, title: "t" });
    expect([a.status, a.body.details.reason]).toEqual([422, "service_inactive"]);
    const retired = await createAgent(db(), { status: "retired" });
    const svc = await createService(db(), retired.agent.id);
    const b = await api.hire(asActor(client), { service_id: svc.id, title: "t" });
    expect([b.status, b.body.details.reason]).toEqual([422, "worker_retired"]);
  });

  it("requires the jobs:write scope (403) and credentials (401)", async () => {
    const readOnly = await createAgent(db(), { scopes: ["jobs:read"] });
    const res = await api.hire(asActor(readOnly), { service_id: service.id, title: "t", input_data: { topic: "x" } });
    expect(res.status).toBe(403);
    expect((await api.hire({ headers: {} }, { service_id: service.id, title: "t" })).status).toBe(401);
  });
});

describe("transitions", () => {
  it("walks the whole happy path, with deliverables per revision and the detail's actions", async () => {
    const id = await hire();
    let detail = (await api.get(asActor(worker), id)).body;
    expect([detail.viewer_role, detail.actions]).toEqual(["worker", ["start"]]);
    expect((await api.get(asActor(client), id)).body.actions).toEqual(["cancel"]);

    const started = await api.act(asActor(worker), "start", id);
    expect([started.status, started.body.status]).toEqual([200, "in_progress"]);
    expect(started.body.started_at).not.toBeNull();
    const d1 = await api.act(asActor(worker), "deliver", id, { content: "v1", content_type: "text/markdown" });
    expect([d1.status, d1.body.status]).toEqual([200, "delivered"]);
    const rev = await api.act(asActor(client), "request-revision", id, { reason: "shorter please" });
    expect([rev.status, rev.body.status, rev.body.revision_count]).toEqual([200, "revision_requested", 1]);
    const d2 = await api.act(asActor(worker), "deliver", id, { content: "v2" });
    expect(d2.status).toBe(200);
    detail = (await api.get(asActor(client), id)).body;
    expect([detail.viewer_role, detail.actions]).toEqual(["client", ["request-revision", "complete"]]);
    expect(detail).toMatchObject({ deliverables_count: 2, latest_deliverable: { revision: 2, content: "v2" } });
    const delivered = (await api.deliverables(asActor(client), id)).body;
    expect(delivered.data.map((d: any) => [d.revision, d.content, d.content_type])).toEqual([
      [1, "v1", "text/markdown"],
      [2, "v2", "text/plain"],
    ]);
    const done = await api.act(asActor(client), "complete", id, { rating: 4, review: "good" });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({ status: "completed", rating: 4, review: "good", actions: [] });
    expect(done.body.completed_at).not.toBeNull();
    const evs = await db().select().from(events).where(eq(events.subjectId, id)).orderBy(events.id);
    expect(evs.map((e) => e.type)).toEqual([
      "job_created",
      "job_started",
      "job_delivered",
      "job_revision_requested",
      "job_delivered",
      "job_completed",
    ]);
  });

  it("cancels a pending job with a reason", async () => {
    const id = await hire();
    const res = await api.act(asActor(client), "cancel", id, { reason: "changed my mind" });
    expect(res.body).toMatchObject({ status: "cancelled", cancel_reason: "changed my mind" });
    expect(res.body.cancelled_at).not.toBeNull();
  });

  it.each(JOB_ACTIONS)(
    "refuses %s by the wrong role (403) and by a stranger (404), changing nothing",
    async (action) => {
      const from = TRANSITIONS[action].from[0]!;
      const id = await jobIn(from as any);
      const before = await snapshot(id);
      const wrong = TRANSITIONS[action].role === "worker" ? client : worker;
      const res = await api.act(asActor(wrong), action, id, validBody(action));
      expect(res.status).toBe(403);
      const res2 = await api.act(asActor(stranger), action, id, validBody(action));
      expect(res2.status).toBe(404);
      expect(await snapshot(id)).toEqual(before);
    },
  );

  const illegal: [JobAction, "pending" | "in_progress" | "delivered" | "completed" | "cancelled"][] = [
    ["start", "in_progress"],
    ["deliver", "pending"],
    ["deliver", "delivered"],
    ["request-revision", "in_progress"],
    ["complete", "pending"],
    ["complete", "completed"],
    ["cancel", "in_progress"],
    ["cancel", "delivered"],
    ["start", "cancelled"],
  ];
  it.each(illegal)("refuses %s on a %s job with 409 { status, action }, changing nothing", async (action, status) => {
    const id = await jobIn(status);
    const before = await snapshot(id);
    const who = TRANSITIONS[action].role === "worker" ? worker : client;
    const res = await api.act(asActor(who), action, id, validBody(action));
    expect(res.status).toBe(409);
    expect(res.body).toMatchObject({ error: "ConflictError", details: { status, action } });
    expect(await snapshot(id)).toEqual(before);
  });

  it("validates transition bodies (400)", async () => {
    const id = await jobIn("delivered");
    expect((await api.act(asActor(client), "complete", id, { rating: 6 })).status).toBe(400);
    expect((await api.act(asActor(client), "complete", id, { rating: 4.5 })).status).toBe(400);
    expect((await api.act(asActor(client), "request-revision", id, {})).status).toBe(400);
    const id2 = await jobIn("in_progress");
    expect((await api.act(asActor(worker), "deliver", id2, { content: "" })).status).toBe(400);
  });

  it("hides foreign jobs (404) and malformed ids (404)", async () => {
    const id = await hire();
    expect((await api.get(asActor(stranger), id)).status).toBe(404);
    expect((await api.get(asActor(client), "not-a-uuid")).status).toBe(404);
    expect((await api.get(asActor(client), "00000000-0000-4000-8000-000000000000")).status).toBe(404);
    const person = await createUser(db());
    expect((await api.get(asActor(person), id)).status).toBe(404);
  });
});

describe("people as clients and as workers", () => {
  it("lets a person hire as themself and the owner of the worker agent act as the worker", async () => {
    const owner = await createUser(db(), { name: "Olga" });
    const ownedWorker = await createAgent(db(), { name: "Olga's bot", ownerUserId: owner.user.id });
    const svc = await createService(db(), ownedWorker.agent.id, { priceUsd: 3 });
    const buyer = await createUser(db(), { name: "Bob" });
    await fund(buyer, 300);
    const hired = await api.hire(asActor(buyer), { service_id: svc.id, title: "for Bob" });
    expect(hired.status).toBe(201);
    expect(hired.body.client).toEqual({ kind: "user", id: buyer.user.id, name: "Bob" });
    const id = hired.body.id as string;

    const view = await api.get(asActor(owner), id);
    expect([view.status, view.body.viewer_role, view.body.actions]).toEqual([200, "worker", ["start"]]);
    expect((await api.act(asActor(owner), "start", id)).status).toBe(200);
    expect((await api.act(asActor(ownedWorker), "deliver", id, { content: "done" })).status).toBe(200);
    // The person is the client: the worker cannot complete, the person can.
    expect((await api.act(asActor(owner), "complete", id, { rating: 5 })).status).toBe(403);
    expect((await api.act(asActor(buyer), "complete", id, { rating: 5 })).status).toBe(200);

    const [w] = await db().select().from(agents).where(eq(agents.id, ownedWorker.agent.id));
    expect([w!.jobsCompleted, w!.ratingCount, w!.reputation]).toEqual([1, 1, 5]);
    // The person's inbox holds the messages to them (started, delivered); the owner's holds their agent's.
    const bobInbox = await api.inbox(asActor(buyer));
    expect(bobInbox.body.data.map((m: any) => m.subject)).toEqual(["Work delivered: for Bob", "Job started: for Bob"]);
    expect(bobInbox.body.data.every((m: any) => m.recipient.kind === "user" && m.recipient.id === buyer.user.id)).toBe(
      true,
    );
    const olgaInbox = await api.inbox(asActor(owner));
    expect(olgaInbox.body.data.map((m: any) => m.subject)).toEqual(["Job completed: for Bob", "New job: for Bob"]);
  });

  it("lets the owner of a client agent act as the client", async () => {
    const owner = await createUser(db());
    const bot = await createAgent(db(), { ownerUserId: owner.user.id });
    await fund(bot, 10_000);
    const res = await api.hire(asActor(bot), { service_id: service.id, title: "t", input_data: { topic: "x" } });
    expect((await api.act(asActor(owner), "cancel", res.body.id)).status).toBe(200);
  });
});

describe("list", () => {
  it("filters by role and status, newest first, with keyset pagination and a total", async () => {
    const me = await createAgent(db());
    const other = await createAgent(db());
    await Promise.all([fund(me, 10_000), fund(other, 10_000)]);
    const mine = await createService(db(), me.agent.id);
    const theirs = await createService(db(), other.agent.id);
    const asClient: string[] = [];
    for (let i = 0; i < 3; i++) {
      const r = await api.hire(asActor(me), { service_id: theirs.id, title: `c${i}` });
      asClient.push(r.body.id);
    }
    const asWorker = (await api.hire(asActor(other), { service_id: mine.id, title: "w" })).body.id;
    await api.act(asActor(me), "start", asWorker);

    const any = await api.list(asActor(me));
    expect(any.body.data.map((j: any) => j.title)).toEqual(["w", "c2", "c1", "c0"]);
    expect(any.body.total).toBe(4);
    const clientOnly = await api.list(asActor(me), { role: "client", limit: 2 });
    expect(clientOnly.body.data.map((j: any) => j.id)).toEqual([asClient[2], asClient[1]]);
    expect(clientOnly.body.total).toBe(3);
    const page2 = await api.list(asActor(me), { role: "client", limit: 2, cursor: clientOnly.body.next_cursor });
    expect(page2.body.data.map((j: any) => j.id)).toEqual([asClient[0]]);
    expect(page2.body.next_cursor).toBeNull();
    const working = await api.list(asActor(me), { role: "worker", status: "in_progress" });
    expect(working.body.data.map((j: any) => j.id)).toEqual([asWorker]);
    expect((await api.list(asActor(me), { role: "worker", status: "pending" })).body.data).toEqual([]);
    expect((await api.list(asActor(me), { role: "boss" })).status).toBe(400);
  });
});

describe("concurrency", () => {
  it("twenty concurrent completes: exactly one 200, nineteen 409, one rating, one reputation update", async () => {
    const solo = await createAgent(db());
    const svc = await createService(db(), solo.agent.id, { priceUsd: 20 });
    const id = (await api.hire(asActor(client), { service_id: svc.id, title: "race" })).body.id;
    await api.act(asActor(solo), "start", id);
    await api.act(asActor(solo), "deliver", id, { content: "x" });
    const results = await Promise.all(
      Array.from({ length: 20 }, (_, i) => api.act(asActor(client), "complete", id, { rating: (i % 5) + 1 })),
    );
    const statuses = results.map((r) => r.status).sort();
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(19);
    const winner = results.find((r) => r.status === 200)!;
    const [job] = await db().select().from(jobs).where(eq(jobs.id, id));
    expect(job!.rating).toBe(winner.body.rating);
    const [agent] = await db().select().from(agents).where(eq(agents.id, solo.agent.id));
    expect([agent!.jobsCompleted, agent!.ratingCount, agent!.reputation]).toEqual([1, 1, winner.body.rating]);
    const repEvents = await db()
      .select()
      .from(events)
      .where(and(eq(events.type, "agent_reputation_changed"), eq(events.subjectId, solo.agent.id)));
    expect(repEvents).toHaveLength(1);
    const completed = await db()
      .select()
      .from(events)
      .where(and(eq(events.type, "job_completed"), eq(events.subjectId, id)));
    expect(completed).toHaveLength(1);
    const msgs = await db()
      .select()
      .from(messages)
      .where(and(eq(messages.jobId, id), eq(messages.recipientAgentId, solo.agent.id)));
    expect(msgs.map((m) => m.subject).sort()).toEqual(["Job completed: race", "New job: race"]);
  });

  it("ten concurrent starts: exactly one wins", async () => {
    const id = await hire();
    const results = await Promise.all(Array.from({ length: 10 }, () => api.act(asActor(worker), "start", id)));
    expect(results.filter((r) => r.status === 200)).toHaveLength(1);
    expect(results.filter((r) => r.status === 409)).toHaveLength(9);
    const started = await db()
      .select()
      .from(events)
      .where(and(eq(events.type, "job_started"), eq(events.subjectId, id)));
    expect(started).toHaveLength(1);
  });

  it("a start racing a cancel: exactly one of them wins", async () => {
    const id = await hire();
    const [s, c] = await Promise.all([api.act(asActor(worker), "start", id), api.act(asActor(client), "cancel", id)]);
    expect([s.status, c.status].sort()).toEqual([200, 409]);
    const [job] = await db().select().from(jobs).where(eq(jobs.id, id));
    expect(job!.status).toBe(s.status === 200 ? "in_progress" : "cancelled");
  });
});
