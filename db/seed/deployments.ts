import "server-only";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { deployments } from "@/db/schema";
import type { DeploymentPhase } from "@/db/schema/deployments";
import { deployBody, updateVersionBody } from "@/lib/api/contracts/deployments";
import type { InputSchema } from "@/lib/api/contracts/input-schema";
import type { Principal } from "@/lib/auth/principal";
import { inTransaction } from "@/lib/db";
import { endDeployment } from "@/lib/deploy/controller/finish";
import { appendLogs, endPhase, startPhase } from "@/lib/deploy/controller/phases";
import { deployAgent, updateVersion } from "@/lib/deploy/deploy";
import type { PhaseName } from "@/lib/deploy/types";

/**
 * The demo agents deployed, so the Deployments pages show real deployments: each through the real verbs (POST
 * /api/agents/deploy's deployAgent, PUT .../versions/{v}'s updateVersion) with the demo artifacts. Sandboxes do
 * not run at seeding time (the seed runs before the app, and the dev database is single-process), so what the
 * controller would have done before now is written as the controller writes it (its phase helpers and its
 * endDeployment: the row, the route's traffic, the owner's message and event); the canary is left to the
 * controller, which takes it up from its queue when the app starts and runs it for real.
 *
 *   - the first agent: 1.0.0 live in prod;
 *   - the second: 1.0.0 live, 1.1.0 rolling out as a canary at 10% for a week;
 *   - the third: 1.0.0 live, 1.1.0 rolled out as a canary whose instance failed its health checks, rolled back.
 */

export interface DeployedDemo {
  id: string;
  name: string;
  /** The artifact its versions run (agents/<slug>). */
  slug: string;
  /** The input its first version declares. */
  inputSchema?: InputSchema;
}

const ORIGIN = "http://localhost:3000";
const MIN = 60_000;

type Step = { phase: PhaseName; lines: string[]; status?: "completed" | "failed" };

/** The phase list the controller writes as it goes, each step a minute after the one before, ending at `end`. */
function phaseLog(base: DeploymentPhase[], steps: Step[], end: Date): DeploymentPhase[] {
  let phases = base;
  steps.forEach((s, i) => {
    const at = new Date(end.getTime() - (steps.length - 1 - i) * MIN);
    phases = startPhase(phases, s.phase, at);
    phases = appendLogs(phases, s.phase, at, s.lines);
    phases = endPhase(phases, s.phase, at, s.status ?? "completed");
  });
  return phases;
}

async function deploymentRow(id: string) {
  const db = await getDb();
  const [d] = await db.select().from(deployments).where(eq(deployments.id, id));
  if (!d) throw new Error(`seed: deployment ${id} is missing`);
  return d;
}

/** 1.0.0 deployed with the real verb, then completed as the controller completes a first deployment. */
async function deployLive(owner: Principal, agent: DeployedDemo): Promise<void> {
  const res = await deployAgent(
    owner,
    deployBody.parse({
      agent_metadata: {
        agent_id: agent.id,
        name: agent.name,
        version: "1.0.0",
        description: "First release",
        input_schema: agent.inputSchema,
      },
      agent_code: { artifact: agent.slug },
      deployment_config: { environment: "prod", host: "local" },
    }),
    ORIGIN,
  );
  const d = await deploymentRow(res.deployment_id);
  const v = "1.0.0";
  const c = d.config as { health_check?: { path?: string } };
  const phases = phaseLog(
    d.phases,
    [
      {
        phase: "validate",
        lines: [`version ${v} (artifact), initial rollout; 128 MB, 30 s timeout, 10 concurrent calls per instance`],
      },
      { phase: "package", lines: [`node entrypoint server.mjs ready`] },
      { phase: "provision", lines: [`started 1 instance(s) of ${v}`] },
      { phase: "health_check", lines: [`1 instance(s) healthy on ${c.health_check?.path ?? "/health"}`] },
      { phase: "shift_traffic", lines: [`all traffic to ${v}`] },
      { phase: "observe", lines: ["first deployment in this environment: nothing to compare with"] },
      { phase: "complete", lines: [`${v} is live`] },
    ],
    new Date(Date.now() - 3 * 24 * 60 * MIN),
  );
  await inTransaction((tx) =>
    endDeployment(tx, {
      deployment: d,
      from: "deploying",
      status: "deployed",
      reason: null,
      phases,
      currentPhase: "complete",
      state: { instances: { [d.versionId]: 1 } },
      weights: [{ version_id: d.versionId, weight: 100 }],
      liveVersionId: d.versionId,
      message: false,
    }),
  );
}

/** 1.1.0 as a canary of `percent`% for `minutes`, through the real verb. */
function canary(owner: Principal, agent: DeployedDemo, percent: number, minutes: number) {
  return updateVersion(
    owner,
    agent.id,
    "1.1.0",
    updateVersionBody.parse({
      deployment_strategy: "canary",
      canary_config: { traffic_percentage: percent, duration: minutes },
      agent_code: { artifact: agent.slug },
      deployment_config: { environment: "prod" },
    }),
  );
}

/** The canary's instance failed its health checks while it took 10%: rolled back as the controller rolls back. */
async function rolledBack(owner: Principal, agent: DeployedDemo): Promise<void> {
  const started = await canary(owner, agent, 10, 30);
  const d = await deploymentRow(started.deployment_id);
  const previous = "1.0.0";
  const failures = 3;
  const reason = `Rolled back automatically: ${failures} consecutive health checks failed (limit ${failures})`;
  const evaluated = (health: number) =>
    `evaluated 1.1.0: 4 calls, error rate 0.0%, timeout rate 0.0%, p95 38.9 ms, health failures ${health}`;
  const phases = phaseLog(
    d.phases,
    [
      {
        phase: "validate",
        lines: ["version 1.1.0 (artifact), canary rollout; 128 MB, 30 s timeout, 10 concurrent calls per instance"],
      },
      { phase: "package", lines: ["node entrypoint server.mjs ready"] },
      { phase: "provision", lines: ["started 1 instance(s) of 1.1.0"] },
      { phase: "health_check", lines: ["1 instance(s) healthy on /health"] },
      { phase: "shift_traffic", lines: ["canary: 10% of traffic to 1.1.0 for 30 min"] },
      { phase: "observe", lines: [evaluated(0), evaluated(1), evaluated(2), evaluated(3)], status: "failed" },
      { phase: "rollback", lines: [reason, `all traffic back to ${previous}`] },
    ],
    new Date(Date.now() - 26 * 60 * MIN),
  );
  await inTransaction((tx) =>
    endDeployment(tx, {
      deployment: d,
      from: "deploying",
      status: "rolled_back",
      reason,
      phases,
      currentPhase: "rollback",
      state: { instances: { [d.previousVersionId!]: 1 } },
      weights: [{ version_id: d.previousVersionId!, weight: 100 }],
      message: true,
    }),
  );
}

/** Deploys three demo agents as described above. */
export async function seedDeployments(
  owner: Principal,
  [live, inCanary, back]: [DeployedDemo, DeployedDemo, DeployedDemo],
): Promise<void> {
  for (const a of [live, inCanary, back]) await deployLive(owner, a);
  await canary(owner, inCanary, 10, 7 * 24 * 60);
  await rolledBack(owner, back);
}
