import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { agentVersions, deploymentInstances } from "@/db/schema";
import { DEFAULT_CODE_CONFIGURATION, type DeploymentConfig } from "@/lib/deploy/types";
import { setupTestDatabase } from "@/test/db";
import { OPERATOR_ENV, setupAwsDoubles } from "@/test/fixtures/aws-deploy";
import { deploymentSuite, rowsStopped } from "@/test/fixtures/deployment-suite";
import { callStream, invokeDeployed, ownedAgent, settled, startDeployment } from "@/test/fixtures/deployments";
import { waitFor } from "@/test/fixtures/runtime";

/*
 * Deployments on ECS Fargate: the real ECSClient against the ECS double, whose services run the test agents
 * (standing for the versions' images) as real processes. What is particular to Fargate here; the cases every host
 * passes are the shared deployment suite (test/fixtures/deployment-suite.ts), run at the end of this file.
 */

setupTestDatabase();
const aws = setupAwsDoubles();

let n = 0;
async function imageVersion(agentId: string, artifact: "steady" | "failing", memory = 128) {
  const version = `2.0.${++n}`;
  const [row] = await (
    await getDb()
  )
    .insert(agentVersions)
    .values({
      agentId,
      version,
      source: "image",
      containerImage: `123456789012.dkr.ecr.us-east-1.amazonaws.com/agents/${artifact}:${version}`,
      entrypoint: "server.mjs",
      configuration: { ...DEFAULT_CODE_CONFIGURATION, memory_limit: memory },
      codeDigest: `test:image:${artifact}:${version}`,
    })
    .returning();
  return row!;
}

const deploy = (
  agentId: string,
  versionId: string,
  strategy: "initial" | "canary" | "blue_green",
  config?: Partial<DeploymentConfig>,
) => startDeployment({ agentId, versionId, strategy, host: "fargate", config });

const rowsOf = async (agentId: string) =>
  (await getDb())
    .select()
    .from(deploymentInstances)
    .where(and(eq(deploymentInstances.agentId, agentId)));

const serviceOf = (agentId: string, versionId: string) =>
  aws.ecs.services.services.get(`agent-market/agent-market-${agentId}-prod-${versionId.slice(0, 8)}`);

describe("Fargate host", () => {
  it("registers the version's task definition with the operator's roles and logs, runs a service, answers calls", async () => {
    const t = await ownedAgent();
    const v1 = await imageVersion(t.agent.id, "steady", 1536);
    const d = await settled(await deploy(t.agent.id, v1.id, "initial"));
    expect(d.reason).toBeNull();
    expect(d.status).toBe("deployed");
    const service = serviceOf(t.agent.id, v1.id)!;
    expect(service).toMatchObject({ status: "ACTIVE", desiredCount: 1 });
    const revision = await aws.ecs.services.describeTaskDefinition(service.taskDefinition);
    expect(revision).toMatchObject({
      family: `agent-market-${t.agent.id}-prod`,
      cpu: "256",
      memory: "1536",
      executionRoleArn: OPERATOR_ENV.ECS_EXECUTION_ROLE_ARN,
      taskRoleArn: OPERATOR_ENV.ECS_TASK_ROLE_ARN,
    });
    const container = revision.containerDefinitions[0];
    expect(container.portMappings).toEqual([{ containerPort: 8080, protocol: "tcp" }]);
    expect(container.logConfiguration).toMatchObject({
      logDriver: "awslogs",
      options: { "awslogs-group": "/agent-market/agents" },
    });
    const stream = callStream(t);
    await waitFor(() => (stream.seen.length >= 6 ? true : undefined), "calls answered");
    const seen = await stream.stop();
    expect(seen.filter((c) => c.status !== 200)).toEqual([]);
  });

  it("a task that dies: its instance is reported failed, the service's replacement serves, calls go on", async () => {
    const t = await ownedAgent();
    const v1 = await imageVersion(t.agent.id, "steady");
    expect((await settled(await deploy(t.agent.id, v1.id, "initial"))).status).toBe("deployed");
    const [first] = (await rowsOf(t.agent.id)).filter((r) => r.status === "healthy");
    const taskArn = first!.reason!.replace(/^task /, "");
    process.kill(aws.ecs.pidOf(taskArn)!, "SIGKILL");
    const lost = await waitFor(async () => {
      const row = (await rowsOf(t.agent.id)).find((r) => r.id === first!.id);
      return row?.status === "failed" ? row : undefined;
    }, "the dead task's instance failed");
    expect(lost.reason).toMatch(/its task stopped: Essential container in task exited/);
    // With the task's last lines, read back from CloudWatch Logs.
    expect(lost.reason).toContain(`its last output: steady ${v1.version} listening on port`);
    const replacement = await waitFor(
      async () => {
        const rows = await rowsOf(t.agent.id);
        return rows.find((r) => r.status === "healthy" && r.id !== first!.id);
      },
      "a healthy instance of the replacement task",
      30_000,
    );
    expect(replacement.reason).not.toBe(first!.reason);
    const r = await invokeDeployed(t, "still there");
    expect(r.status).toBe(200);
    expect(r.headers.get("x-agent-version")).toBe(v1.version);
  });
});

deploymentSuite({
  host: "fargate",
  version: (agentId, artifact) => imageVersion(agentId, artifact),
  // Retired on ECS: its instances stopped, its service scaled to zero and deleted, its revision deregistered.
  retired: async (agentId, version) => {
    const service = serviceOf(agentId, version.id);
    if (!(await rowsStopped(agentId, version.id)) || service?.status !== "INACTIVE") return undefined;
    return (await aws.ecs.services.describeTaskDefinition(service.taskDefinition)).status === "INACTIVE"
      ? true
      : undefined;
  },
  restart: () => aws.restart(),
});
