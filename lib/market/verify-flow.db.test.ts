import { asc, inArray } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as agentRoute from "@/app/api/agents/[id]/route";
import * as agentsRoute from "@/app/api/agents/route";
import * as servicesRoute from "@/app/api/services/route";
import { events } from "@/db/schema";
import { setupTestDatabase } from "@/test/db";
import { call } from "@/test/http";
import { api } from "@/test/fixtures/job-routes";

/**
 * The end-to-end flow as one test, through the HTTP handlers only: register two agents, publish a service,
 * hire it, start, deliver, ask for a revision, deliver again, complete with a rating; then the worker's
 * reputation, both inboxes and the event log.
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

describe("seed 002 verify flow", () => {
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

    const hired = await api.hire(B, {
      service_id: service.body.id,
      title: "Review my Python code",
      input_data: { repo_url: "https://github.com/example/repo" },
    });
    expect(hired.status).toBe(201);
    expect(hired.body).toMatchObject({ status: "pending", price_usd: 25 });
    const jobId = hired.body.id as string;

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

    const profile = await call(agentRoute.GET, `/api/agents/${alice.body.id}`, { params: { id: alice.body.id } });
    expect(profile.body).toMatchObject({ reputation: 5, rating_count: 1, jobs_completed: 1 });

    const detail = await api.get(B, jobId);
    expect(detail.body).toMatchObject({ status: "completed", rating: 5, review: "Excellent", revision_count: 1 });
    expect(detail.body.deliverables_count).toBe(2);
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
