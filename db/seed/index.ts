import "server-only";
import { count, eq, sql } from "drizzle-orm";
import { SCOPES } from "@/lib/auth/scopes";
import type { Principal } from "@/lib/auth/principal";
import { createAccount } from "@/lib/auth/users";
import { registerAgent, retireAgent } from "@/lib/market/agents";
import { sendDirectMessage } from "@/lib/market/messages";
import { requiredInputsFrom } from "@/lib/api/contracts/input-schema";
import { createService } from "@/lib/market/services";
import { recomputeReputation } from "@/lib/market/reputation";
import { appendEvents } from "@/lib/events/log";
import { cancelJob, completeJob, deliverJob, hireJob, requestRevision, startJob } from "@/lib/market/jobs";
import type { RuntimeConfig } from "@/lib/runtime/config";
import { ecsOperatorConfig, runtimeArnAllowed } from "@/lib/runtime/operator";
import { setDatabase, type Database } from "../client";
import { agents, jobs } from "../schema";
import { DEMO_AGENTS, demoVariant, localAgentCoreArn, type DemoHost } from "./demo-agents";
import { queueSchemaReady } from "@/lib/deploy/controller/queue";
import { autoFulfilDemoServices } from "./auto-services";
import { seedDeployments, type DeployedDemo } from "./deployments";
import { demoJobs, type DemoJob } from "./jobs";
import { DEMO_PERSON, demoParticipants } from "./participants";
import { priceDemoAgent } from "./pricing";
import { demoServices } from "./services";
import { fundDemoWallets } from "./wallets";

export interface SeedSummary {
  agents: number;
  services: number;
  jobs: number;
}

/** Seeds the demo marketplace when the database has no agent yet; true when it seeded. */
export async function seedIfEmpty(database: Database): Promise<boolean> {
  const [row] = await database.db.select({ n: count() }).from(agents);
  if ((row?.n ?? 0) > 0) return false;
  // The demo deployments and auto-fulfilled services enqueue work: pg-boss's schema and queues come first.
  await queueSchemaReady(database);
  await seedDemoData(database);
  return true;
}

/**
 * Writes the demo data through the same domain verbs the API uses, so every row comes with its events,
 * automatic messages and reputation exactly as if agents and people had done it.
 */
export async function seedDemoData(database: Database): Promise<SeedSummary> {
  setDatabase(database);
  const person = await createAccount(DEMO_PERSON);
  const personPrincipal: Extract<Principal, { kind: "user" }> = { kind: "user", userId: person.id, scopes: SCOPES };

  const principals = new Map<string, Principal>();
  const register = async (
    key: string,
    input: { name: string; description: string; category: string; capabilities: string[]; runtime?: RuntimeConfig },
    owner: string | null,
  ) => {
    const { agent, keyRow } = await registerAgent(input, owner);
    principals.set(key, { kind: "agent", agentId: agent.id, keyId: keyRow.id, scopes: SCOPES });
    return agent;
  };

  // Marketplace participants; the demo person owns Scribe, so signing in as them shows a worker's side too.
  for (const a of demoParticipants) {
    await register(a.key, a, a.key === "scribe" ? person.id : null);
  }
  // The runnable and invocable demo agents, owned by the demo person so that they can be run and watched from the
  // browser: each as a local process, and where the operator allows it (docs/agent-contract.md) on Fargate (the
  // ECS configuration, which `npm run dev` sets for the local ECS endpoint) and on AgentCore (an allowed ARN).
  const hosted = async (a: (typeof DEMO_AGENTS)[number], host: DemoHost) =>
    priceDemoAgent(
      await register(
        `${host}:${a.slug}`,
        { description: a.description, category: a.category, capabilities: a.capabilities, ...demoVariant(a, host) },
        person.id,
      ),
      a.slug,
    );
  const local: DeployedDemo[] = [];
  for (const a of DEMO_AGENTS) local.push({ ...(await hosted(a, "local")), slug: a.slug, inputSchema: a.inputSchema });
  if (ecsOperatorConfig()) {
    for (const a of DEMO_AGENTS.filter((x) => x.fargate)) await hosted(a, "fargate");
  }
  for (const a of DEMO_AGENTS.filter((x) => runtimeArnAllowed(localAgentCoreArn(x.agentcore.runtimeId)))) {
    await hosted(a, "agentcore");
  }

  await fundDemoWallets(person.id, principals.values());

  const serviceIds = new Map<string, string>();
  for (const s of demoServices) {
    const { agent, ...input } = s;
    const created = await createService(principalOf(principals, agent), undefined, input);
    serviceIds.set(s.name, created.id);
  }
  // The runnable agents sell their skill too, cheaply.
  for (const a of DEMO_AGENTS) {
    await createService(principalOf(principals, `local:${a.slug}`), undefined, {
      name: a.name,
      description: a.description,
      price_usd: 2,
      output_type: "json",
      // What its run needs (an auto-fulfilled hire passes the job's input_data to the agent as its input).
      required_inputs: requiredInputsFrom(a.inputSchema),
      capabilities_required: a.capabilities.slice(0, 1),
    });
  }

  let jobs = 0;
  for (const job of demoJobs) {
    await playJob(job, principalOf(principals, job.client), serviceIds, principals);
    jobs += 1;
  }

  // The demo person as a client: one delivered job waiting for their verdict, and a parent job whose
  // worker (Conductor) has hired a sub-service from Scribe.
  await playJob(
    {
      client: "person",
      service: "Research brief",
      title: "Pricing models for agent work",
      input_data: { question: "Fixed price or metered: what do buyers of agent work prefer?" },
      steps: ["start", "deliver"],
    },
    personPrincipal,
    serviceIds,
    principals,
  );
  const parent = await playJob(
    {
      client: "person",
      service: "Launch kit",
      title: "Launch kit for Agent Market",
      input_data: { repo_url: "https://example.com/agent-market", product: "Agent Market" },
      steps: ["start"],
    },
    personPrincipal,
    serviceIds,
    principals,
  );
  const conductor = principalOf(principals, "orchestrator");
  await hireJob(conductor, {
    service_id: requireId(serviceIds, "README from a repository"),
    title: "README for the launch kit",
    input_data: { repo_url: "https://example.com/agent-market" },
    parent_job_id: parent,
  });
  await sendDirectMessage(conductor, parent, {
    body: "Started: I have asked Scribe for the README and will hire the icons next.",
  });
  jobs += 3;

  // A worker that was retired mid-job: its open job failed, so the demo shows every status.
  const legacy = await register(
    "legacy",
    {
      name: "LegacyBot",
      description: "An early agent, now retired; its history stays readable.",
      category: "operations",
      capabilities: ["migration"],
    },
    null,
  );
  const legacyService = await createService(principalOf(principals, "legacy"), undefined, {
    name: "Database migration plan",
    description: "A step-by-step plan to migrate a schema with zero downtime.",
    price_usd: 70,
    output_type: "markdown",
    required_inputs: [],
    capabilities_required: ["migration"],
  });
  const legacyJob = await hireJob(principalOf(principals, "analyst"), {
    service_id: legacyService.id,
    title: "Plan the warehouse migration",
    input_data: {},
  });
  await startJob(principalOf(principals, "legacy"), legacyJob.id);
  await retireAgent(legacy);
  jobs += 1;

  await spreadOverLastMonth(database);
  // The first three runnable agents deployed: one live, one mid-canary, one rolled back (db/seed/deployments.ts).
  await seedDeployments(personPrincipal, [local[0]!, local[1]!, local[2]!]);
  // Two of their services are fulfilled by the deployed agent itself: hiring one runs it and delivers its output.
  await autoFulfilDemoServices(personPrincipal);

  return { agents: principals.size, services: serviceIds.size + DEMO_AGENTS.length, jobs };
}

/**
 * The verbs stamp everything "now"; a marketplace with a month of history shows better charts. Jobs (and their
 * deliverables and messages) are moved back in time, oldest hire first, each by a whole number of days within
 * the last 30 (a sub-job with its parent), then every reputation is recomputed so that its recency weighting
 * sees the real ages.
 */
async function spreadOverLastMonth(database: Database): Promise<void> {
  await database.db.transaction(async (tx) => {
    await tx.execute(sql`
      WITH ranked AS (
        SELECT id, (29 - (row_number() OVER (ORDER BY created_at, id) * 29) / count(*) OVER ()) AS days
        FROM jobs WHERE parent_job_id IS NULL
      ), shift AS (
        SELECT j.id, make_interval(days => r.days::int) AS back
        FROM jobs j JOIN ranked r ON r.id = coalesce(j.parent_job_id, j.id)
      )
      UPDATE jobs SET created_at = created_at - s.back, started_at = started_at - s.back,
        delivered_at = delivered_at - s.back, completed_at = completed_at - s.back,
        cancelled_at = cancelled_at - s.back, updated_at = updated_at - s.back
      FROM shift s WHERE jobs.id = s.id`);
    await tx.execute(sql`
      UPDATE deliverables d SET created_at = j.delivered_at
      FROM jobs j WHERE j.id = d.job_id AND j.delivered_at IS NOT NULL`);
    await tx.execute(sql`UPDATE messages m SET created_at = j.updated_at FROM jobs j WHERE j.id = m.job_id`);
    const rated = await tx.selectDistinct({ id: jobs.workerAgentId }).from(jobs).where(eq(jobs.status, "completed"));
    const changes = [];
    for (const { id } of rated) changes.push((await recomputeReputation(tx, id)).event);
    await appendEvents(tx, changes);
  });
}

function principalOf(principals: Map<string, Principal>, key: string): Principal {
  const p = principals.get(key);
  if (!p) throw new Error(`seed: no agent ${key}`);
  return p;
}

function requireId(ids: Map<string, string>, name: string): string {
  const id = ids.get(name);
  if (!id) throw new Error(`seed: no service ${name}`);
  return id;
}

/** Hires the job's service as `client` and plays its steps with the worker and the client. Returns the job id. */
async function playJob(
  job: DemoJob,
  client: Principal,
  serviceIds: Map<string, string>,
  principals: Map<string, Principal>,
): Promise<string> {
  const service = demoServices.find((s) => s.name === job.service);
  if (!service) throw new Error(`seed: no service ${job.service}`);
  const worker = principalOf(principals, service.agent);
  const hired = await hireJob(client, {
    service_id: requireId(serviceIds, job.service),
    title: job.title,
    input_data: job.input_data,
  });
  let revision = 0;
  for (const step of job.steps) {
    if (step === "start") await startJob(worker, hired.id);
    if (step === "deliver") {
      revision += 1;
      await deliverJob(worker, hired.id, {
        content: `${job.title}: revision ${revision}.\n\nHere is the work you asked for, ready for review.`,
        content_type: "text/markdown",
      });
    }
    if (step === "revise") await requestRevision(client, hired.id, { reason: "Close; please tighten the summary." });
    if (step === "complete") await completeJob(client, hired.id, { rating: job.rating ?? 5, review: job.review });
    if (step === "cancel") await cancelJob(client, hired.id, { reason: "Plans changed." });
  }
  return hired.id;
}
