import { and, eq } from "drizzle-orm";
import { describe, expect, it } from "vitest";
import { getDb } from "@/db/client";
import { agentVersions, deploymentInstances } from "@/db/schema";
import { DEFAULT_CODE_CONFIGURATION, type DeploymentConfig } from "@/lib/deploy/types";
import { setupTestDatabase } from "@/test/db";
import { OPERATOR_ENV, setupAwsDoubles } from "@/test/fixtures/aws-deploy";
import { callStream, ownedAgent, routeOf, settled, startDeployment } from "@/test/fixtures/deployments";
import { waitFor } from "@/test/fixtures/runtime";

/*
 * The deployment suite of the local host, on ECS Fargate: the real ECSClient against the ECS double, whose
 * services run the test agents (standing for the versions' images) as real processes.
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

  it("rolls back a failing canary on its own and retires the canary's service", async () => {
    const t = await ownedAgent();
    const v1 = await imageVersion(t.agent.id, "steady");
    const v2 = await imageVersion(t.agent.id, "failing");
    expect((await settled(await deploy(t.agent.id, v1.id, "initial"))).status).toBe("deployed");
    const stream = callStream(t);
    const d = await settled(
      await deploy(t.agent.id, v2.id, "canary", {
        evaluation_interval: 2,
        canary: {
          traffic_percentage: 50,
          duration: 5,
          success_criteria: { error_rate_threshold: 0.05, latency_threshold: 2000 },
        },
      }),
    );
    expect(d.status).toBe("rolled_back");
    expect(d.reason).toMatch(/^Rolled back automatically: error rate/);
    expect((await routeOf(t.agent.id))?.weights).toEqual([{ version_id: v1.id, weight: 100 }]);
    const after = Date.now() + 200;
    await waitFor(() => (stream.seen.filter((c) => c.at > after).length >= 10 ? true : undefined), "calls after");
    const seen = await stream.stop();
    expect(seen.filter((c) => c.at > after && (c.status !== 200 || c.version !== v1.version))).toEqual([]);
    await waitFor(
      () => (serviceOf(t.agent.id, v2.id)?.status === "INACTIVE" ? true : undefined),
      "the canary service gone",
    );
  });

  it("promotes a healthy canary with no failed call", async () => {
    const t = await ownedAgent();
    const v1 = await imageVersion(t.agent.id, "steady");
    const v2 = await imageVersion(t.agent.id, "steady");
    expect((await settled(await deploy(t.agent.id, v1.id, "initial"))).status).toBe("deployed");
    const stream = callStream(t);
    const d = await settled(
      await deploy(t.agent.id, v2.id, "canary", {
        canary: {
          traffic_percentage: 30,
          duration: 0.05,
          success_criteria: { error_rate_threshold: 0.05, latency_threshold: 2000 },
        },
      }),
    );
    expect(d.status).toBe("deployed");
    const seen = await stream.stop();
    expect(seen.filter((c) => c.status !== 200)).toEqual([]);
    expect(seen.some((c) => c.version === v2.version)).toBe(true);
    expect((await routeOf(t.agent.id))?.weights).toEqual([{ version_id: v2.id, weight: 100 }]);
  });

  it("blue/green: switches with no failed call, then scales the old service to 0, deletes it, deregisters its revision", async () => {
    const t = await ownedAgent();
    const v1 = await imageVersion(t.agent.id, "steady");
    const v2 = await imageVersion(t.agent.id, "steady");
    expect((await settled(await deploy(t.agent.id, v1.id, "initial"))).status).toBe("deployed");
    const oldDefinition = serviceOf(t.agent.id, v1.id)!.taskDefinition;
    const stream = callStream(t);
    await waitFor(() => (stream.seen.length >= 6 ? true : undefined), "calls before");
    const d = await settled(await deploy(t.agent.id, v2.id, "blue_green"));
    expect(d.status).toBe("deployed");
    await waitFor(
      async () =>
        (await rowsOf(t.agent.id)).some((r) => r.versionId === v1.id && r.status !== "stopped") ? undefined : true,
      "the old instances stopped",
    );
    await waitFor(
      () => (serviceOf(t.agent.id, v1.id)?.status === "INACTIVE" ? true : undefined),
      "the old service gone",
    );
    expect((await aws.ecs.services.describeTaskDefinition(oldDefinition)).status).toBe("INACTIVE");
    const later = Date.now();
    await waitFor(() => (stream.seen.filter((c) => c.at > later).length >= 10 ? true : undefined), "calls after");
    const seen = await stream.stop();
    expect(seen.filter((c) => c.status !== 200)).toEqual([]);
    expect(seen.filter((c) => c.at > later && c.version !== v2.version)).toEqual([]);
  });
});
