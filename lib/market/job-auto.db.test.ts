import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import * as agentsRoute from "@/app/api/agents/route";
import * as serviceRoute from "@/app/api/services/[id]/route";
import * as servicesRoute from "@/app/api/services/route";
import * as topUpsRoute from "@/app/api/wallet/top-ups/route";
import * as walletRoute from "@/app/api/wallet/route";
import { getDb } from "@/db/client";
import * as stopRoute from "@/app/api/executions/[id]/stop/route";
import { agentRoutes, events, executions } from "@/db/schema";
import { autoDeliveryOf } from "@/lib/runtime/execute/estimate";
import { serviceSchema } from "@/lib/api/contracts/services";
import { setupTestDatabase } from "@/test/db";
import { deployFakeAgent, setupFakeAgentsAndWorker } from "@/test/fixtures/execute";
import { api } from "@/test/fixtures/job-routes";
import { waitFor } from "@/test/fixtures/runtime";
import { call } from "@/test/http";
import { badRatingsServedBy } from "./job-auto";

/**
 * Services the platform fulfils itself, through the HTTP handlers and a real execution worker: the verify flow
 * (lib/market/verify-flow.db.test.ts) with no human on the worker's side (hire, wait for `delivered`, complete with a rating), the failure
 * path (job failed, refunded, the client told) and a revision that runs the agent again with the reason.
 */

setupTestDatabase();

const fakes = setupFakeAgentsAndWorker();

async function seller(outputType = "json") {
  const agent = await fakes.deploy();
  const res = await call(servicesRoute.POST, "/api/services", {
    key: agent.key,
    body: { name: "Echo as a service", price_usd: 10, output_type: outputType, fulfilment: "auto" },
  });
  expect(res.status, JSON.stringify(res.body)).toBe(201);
  const service = serviceSchema.parse(res.body);
  expect(service).toMatchObject({
    fulfilment: "auto",
    fulfilment_agent_id: agent.agentId,
    fulfilment_environment: "prod",
  });
  return { agent, seller: { key: agent.key }, service };
}

async function buyer() {
  const res = await call(agentsRoute.POST, "/api/agents", { body: { name: "Buyer", capabilities: ["buying"] } });
  expect(res.status).toBe(201);
  const who = { key: res.body.api_key as string, agentId: res.body.id as string };
  expect((await call(topUpsRoute.POST, "/api/wallet/top-ups", { ...who, body: { amount: 1_000 } })).status).toBe(201);
  return who;
}

const startWorker = fakes.startWorker;

async function jobWhen(who: { key: string }, id: string, status: string) {
  return waitFor(async () => {
    const res = await api.get(who, id);
    return res.body.status === status ? res.body : undefined;
  }, `job ${id} ${status}`);
}

const wallet = async (who: { key: string }) => (await call(walletRoute.GET, "/api/wallet", who)).body;

async function jobEventTypes(jobId: string): Promise<string[]> {
  const rows = await (await getDb()).select().from(events).where(eq(events.subjectId, jobId)).orderBy(events.id);
  return rows.map((e) => e.type);
}

describe("auto-fulfilled services", () => {
  it("the verify flow with no human: hire, delivered by the agent, completed with a rating", async () => {
    const { agent, service } = await seller("json");
    const B = await buyer();
    await startWorker();
    const hired = await api.hire(B, { service_id: service.id, title: "Echo this", input_data: { text: "hello" } });
    expect(hired.status, JSON.stringify(hired.body)).toBe(201);
    const jobId = hired.body.id as string;

    const delivered = await jobWhen(B, jobId, "delivered");
    expect(delivered.started_at).toBeTruthy();
    const list = await api.deliverables(B, jobId);
    expect(list.body.data).toHaveLength(1);
    const d = await api.deliverable(B, jobId, list.body.data[0].id as string);
    expect(d.body.content_type).toBe("application/json");
    expect(JSON.parse(d.body.content as string)).toEqual({ echo: { text: "hello" } });

    const [run] = await (await getDb()).select().from(executions).where(eq(executions.jobId, jobId));
    expect(run).toMatchObject({
      status: "completed",
      agentId: agent.agentId,
      input: { text: "hello" },
      version: "1.0.0",
    });
    expect(await jobEventTypes(jobId)).toEqual(["job_created", "job_started", "job_delivered"]);

    const done = await api.act(B, "complete", jobId, { rating: 5, review: "instant" });
    expect(done.status, JSON.stringify(done.body)).toBe(200);
    expect(done.body.status).toBe("completed");
    expect(await wallet(B)).toMatchObject({ balance: 0, held_in_escrow: 0 });
    expect((await wallet({ key: agent.key })).balance).toBeGreaterThan(0);
    const messages = await api.jobMessages(B, jobId);
    const subjects = (messages.body.data as { subject: string }[]).map((m) => m.subject);
    expect(subjects).toEqual(expect.arrayContaining(["Job started: Echo this", "Work delivered: Echo this"]));
  });

  it("fails the job with the reason, refunds and tells the client when the run fails", async () => {
    const { service } = await seller("text");
    const B = await buyer();
    await startWorker();
    const hired = await api.hire(B, { service_id: service.id, title: "Bad input", input_data: { mode: "bad" } });
    const failed = await jobWhen(B, hired.body.id as string, "failed");
    expect(failed.failure_reason).toBe("The agent's run failed: text is required");
    expect(await wallet(B)).toMatchObject({ balance: 1_000, held_in_escrow: 0, available: 1_000 });
    const messages = await api.jobMessages(B, hired.body.id as string);
    expect(messages.body.data).toEqual(
      expect.arrayContaining([expect.objectContaining({ subject: "Job failed: Bad input" })]),
    );
    expect(await jobEventTypes(hired.body.id as string)).toContain("job_failed");
  });

  it("a revision request runs the agent again with the reason in the input; a low rating counts against the version", async () => {
    const { agent, service } = await seller("json");
    const B = await buyer();
    await startWorker();
    const since = new Date(Date.now() - 1_000);
    const hired = await api.hire(B, { service_id: service.id, title: "Twice", input_data: { text: "v1" } });
    const jobId = hired.body.id as string;
    await jobWhen(B, jobId, "delivered");
    const asked = await api.act(B, "request-revision", jobId, { reason: "shorter please" });
    expect(asked.status, JSON.stringify(asked.body)).toBe(200);
    await waitFor(async () => {
      const list = await api.deliverables(B, jobId);
      return list.body.data.length === 2 ? list : undefined;
    }, "the second delivery");
    const job = await jobWhen(B, jobId, "delivered");
    expect(job.revision_count).toBe(1);
    const runs = await (await getDb()).select().from(executions).where(eq(executions.jobId, jobId));
    expect(runs.map((r) => r.input).sort((a, b) => JSON.stringify(a).length - JSON.stringify(b).length)).toEqual([
      { text: "v1" },
      { text: "v1", revision_reason: "shorter please" },
    ]);

    const q = { agentId: agent.agentId, environment: "prod", version: "1.0.0", since };
    expect(await badRatingsServedBy(q)).toBe(0);
    expect((await api.act(B, "complete", jobId, { rating: 1 })).status).toBe(200);
    expect(await badRatingsServedBy(q)).toBe(1);
  });

  it("a cancel before the run starts stops its queued execution", async () => {
    const { service } = await seller();
    const B = await buyer();
    const hired = await api.hire(B, { service_id: service.id, title: "Never mind", input_data: {} });
    const jobId = hired.body.id as string;
    expect((await api.act(B, "cancel", jobId, { reason: "changed my mind" })).status).toBe(200);
    const [run] = await (await getDb()).select().from(executions).where(eq(executions.jobId, jobId));
    expect(run).toMatchObject({ status: "stopped", stoppedReason: "The job was cancelled" });
  });

  it("binds only a deployed agent of the seller's owner", async () => {
    const { service, seller: A } = await seller();
    const stranger = await deployFakeAgent();
    fakes.keep(stranger);
    const patch = (body: Record<string, unknown>) =>
      call(serviceRoute.PATCH, `/api/services/${service.id}`, {
        ...A,
        params: { id: service.id },
        body,
        method: "PATCH",
      });
    const foreign = await patch({ fulfilment_agent_id: stranger.agentId });
    expect(foreign.status).toBe(422);
    const undeployed = await patch({ fulfilment_environment: "staging" });
    expect(undeployed.status).toBe(422);
    expect(undeployed.body.details).toMatchObject({ reason: "not_deployed" });
    const manual = await patch({ fulfilment: "manual" });
    expect(serviceSchema.parse(manual.body)).toMatchObject({ fulfilment: "manual", fulfilment_agent_id: null });
  });

  it("stopping the job's execution fails the job with the reason and refunds the client", async () => {
    const { agent, service } = await seller("json");
    const B = await buyer();
    await startWorker();
    const hired = await api.hire(B, { service_id: service.id, title: "Hangs", input_data: { mode: "block" } });
    const jobId = hired.body.id as string;
    await jobWhen(B, jobId, "in_progress");
    const run = await waitFor(async () => {
      const [r] = await (await getDb()).select().from(executions).where(eq(executions.jobId, jobId));
      return r?.status === "running" ? r : undefined;
    }, "the job's execution running");
    const stopped = await call(stopRoute.POST, `/api/executions/${run.id}/stop`, { ...B, params: { id: run.id } });
    expect(stopped.status, JSON.stringify(stopped.body)).toBe(200);
    expect(stopped.body.status).toBe("stopped");

    const failed = await jobWhen(B, jobId, "failed");
    expect(failed.failure_reason).toBe(`The agent's run was stopped: Stopped on request of agent ${B.agentId}`);
    expect(await wallet(B)).toMatchObject({ balance: 1_000, held_in_escrow: 0, available: 1_000 });
    expect(await jobEventTypes(jobId)).toEqual(["job_created", "job_started", "job_failed"]);
    // The agent's answer arriving after the stop changes nothing.
    agent.release();
    await fakes.stopWorker();
    expect((await api.get(B, jobId)).body.status).toBe("failed");
    expect((await wallet({ key: agent.key })).balance).toBe(0);
  });

  it("refuses a hire with a 409 when the bound agent is no longer deployed, and holds nothing", async () => {
    const { agent, service } = await seller();
    const B = await buyer();
    await (
      await getDb()
    )
      .update(agentRoutes)
      .set({ weights: [] })
      .where(and(eq(agentRoutes.agentId, agent.agentId), eq(agentRoutes.environment, "prod")));
    const hired = await api.hire(B, { service_id: service.id, title: "Too late", input_data: {} });
    expect(hired.status, JSON.stringify(hired.body)).toBe(409);
    expect(hired.body.message).toMatch(/not deployed in prod/);
    expect(await wallet(B)).toMatchObject({ balance: 1_000, held_in_escrow: 0 });
    expect(await (await getDb()).select().from(executions).where(eq(executions.agentId, agent.agentId))).toEqual([]);
  });

  it("estimates an auto delivery from the agent's recent runs", async () => {
    const { agent, service } = await seller();
    const db = await getDb();
    expect(await autoDeliveryOf(db, service)).toMatchObject({
      agent_id: agent.agentId,
      estimate: { median_ms: null, samples: 0 },
    });
    expect(await autoDeliveryOf(db, { ...service, fulfilment: "manual" })).toBeNull();
    const B = await buyer();
    const more = await call(topUpsRoute.POST, "/api/wallet/top-ups", { ...B, body: { amount: 2_000 } });
    expect(more.status).toBe(201);
    await startWorker();
    for (const ms of [100, 300, 500]) {
      const hired = await api.hire(B, { service_id: service.id, title: "Timed", input_data: { mode: "slow", ms } });
      expect(hired.status, JSON.stringify(hired.body)).toBe(201);
      await jobWhen(B, hired.body.id as string, "delivered");
    }
    const auto = await autoDeliveryOf(db, service);
    expect(auto?.estimate.samples).toBe(3);
    // The median run waited on the 300 ms answer (plus queueing), never the 100 ms or the 500 ms one.
    expect(auto?.estimate.median_ms).toBeGreaterThanOrEqual(300);
    expect(auto?.estimate.median_ms).toBeLessThan(
      Math.max(
        ...(await db.select().from(executions).where(eq(executions.agentId, agent.agentId))).map(
          (r) => (r.endTime as Date).getTime() - r.startTime.getTime(),
        ),
      ),
    );
  });
});
