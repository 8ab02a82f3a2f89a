import { round } from "./stats";
import type { Figure } from "./types";

const TARGET_SWEEP_MS = 5_000;

/** Part 2, in a process that can load the app's modules: 10,000 live Fargate executions, one sweep. */
export async function measureReconciler(log: (l: string) => void, scale: number): Promise<Figure[]> {
  const { startEcsServer } = await import("@/test/doubles/ecs-server");
  const { getDb } = await import("@/db/client");
  const { agents, executions } = await import("@/db/schema");
  const { reloadEnv } = await import("@/lib/env");
  const { reconcileOnce } = await import("@/lib/runtime/reconciler");
  const { eq } = await import("drizzle-orm");
  const ecs = await startEcsServer({ spawn: false });
  Object.assign(process.env, {
    AWS_ENDPOINT_URL_ECS: ecs.url,
    AWS_REGION: "us-east-1",
    AWS_ACCESS_KEY_ID: "AKIDBENCHBENCHBENCH",
    AWS_SECRET_ACCESS_KEY: "bench-secret",
  });
  reloadEnv();
  const db = await getDb();
  const [agent] = await db.insert(agents).values({ name: "reconciler-bench" }).returning({ id: agents.id });
  const agentId = agent!.id;
  try {
    const arns = ecs.addFakeTasks(scale, "bench");
    for (let i = 0; i < arns.length; i += 1000) {
      await db.insert(executions).values(
        arns.slice(i, i + 1000).map((taskArn) => ({
          agentId,
          startedByAgentId: agentId,
          host: "fargate" as const,
          status: "running" as const,
          taskArn,
          endpoint: "http://127.0.0.1:8080",
          timeoutS: 3600,
          hostState: { cluster: "bench", container_name: "agent" },
        })),
      );
    }
    log(`runtime: ${scale} live executions seeded`);
    const describeCalls = () => ecs.calls.filter((c) => c.action === "DescribeTasks").length;
    let before = describeCalls();
    const steady = await reconcileOnce();
    const steadyCalls = describeCalls() - before;
    // 1% of the tasks end: the next sweep records them (a completion each, with its event).
    const ending = arns.slice(0, Math.ceil(scale / 100));
    for (const arn of ending) {
      Object.assign(ecs.tasks.get(arn)!, {
        lastStatus: "STOPPED",
        desiredStatus: "STOPPED",
        stopCode: "EssentialContainerExited",
        stoppedReason: "Essential container in task exited",
        exitCode: 0,
        stoppedAt: Date.now() / 1000,
      });
    }
    before = describeCalls();
    const changing = await reconcileOnce();
    const changingCalls = describeCalls() - before;
    return [
      {
        name: `sweep DescribeTasks calls (${scale} live)`,
        value: steadyCalls,
        unit: "calls",
        target: `<= ${Math.ceil(scale / 100)}`,
        met: steadyCalls <= Math.ceil(scale / 100),
      },
      {
        name: `sweep duration (${scale} live, nothing changed)`,
        value: round(steady.durationMs, 0),
        unit: "ms",
        target: `< ${TARGET_SWEEP_MS}`,
        met: steady.durationMs < TARGET_SWEEP_MS && !steady.skipped,
      },
      {
        name: `sweep duration (${scale} live, ${ending.length} stopped)`,
        value: round(changing.durationMs, 0),
        unit: "ms",
        target: `< ${TARGET_SWEEP_MS}`,
        met: changing.durationMs < TARGET_SWEEP_MS && changing.changed === ending.length,
        note: `${changing.changed} executions recorded completed, ${changingCalls} DescribeTasks calls`,
      },
    ];
  } finally {
    await db.delete(executions).where(eq(executions.agentId, agentId));
    await ecs.close();
  }
}
