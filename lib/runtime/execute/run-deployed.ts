import "server-only";
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { executions } from "@/db/schema";
import { ApiError } from "@/lib/api/errors";
import { partyOf, type Principal } from "@/lib/auth/principal";
import { inTransaction } from "@/lib/db";
import { environmentOf } from "@/lib/deploy/invocations";
import type { Environment } from "@/lib/deploy/types";
import { log } from "@/lib/log";
import { appendExecutionEvent } from "../lifecycle";
import { PRIORITIES, toExecutionRecord, type ExecutionJson } from "../serialize";
import { claimExecution } from "./claim";
import { runClaimed } from "./dispatch";
import { sendExecute } from "./queue";

/**
 * POST /api/agents/{id}/run of an agent with a live deployment: the platform owns how its code runs, so the run is
 * an execution of the deployment (host `deployed`), not a process of the agent's raw `runtime`. It goes through the
 * deployment router like the execute API's (lib/runtime/execute/attempt.ts), so it counts in the serving version's
 * metrics and obeys the deployment's concurrency. The answer is at once, as /run's always was: the attempt runs
 * here when the deployment has a free slot, else the execution waits its turn in the queue.
 */

/** The environment a run of the agent goes to (prod, else its only one), or null when it has no deployment. */
export async function deployedEnvironmentOf(agentId: string): Promise<Environment | null> {
  try {
    return await environmentOf(agentId);
  } catch (err) {
    if (err instanceof ApiError && err.status === 404) return null;
    throw err;
  }
}

export async function runDeployed(
  principal: Principal,
  agent: { id: string; name: string },
  environment: Environment,
  req: { input: Record<string, unknown>; timeoutS: number; hold?: (tx: Tx, executionId: string) => Promise<void> },
): Promise<ExecutionJson> {
  const party = partyOf(principal);
  const { row, claimed } = await inTransaction(async (tx) => {
    const [inserted] = await tx
      .insert(executions)
      .values({
        agentId: agent.id,
        startedByAgentId: party.agentId,
        startedByUserId: party.userId,
        host: "deployed",
        status: "queued",
        input: req.input,
        timeoutS: req.timeoutS,
        environment,
        priority: PRIORITIES.indexOf("normal"),
        async: true,
        // One attempt, as a run of a process always was.
        retryConfig: { max_retries: 0, retry_delay: 1, backoff_multiplier: 2 },
        queuedAt: sql`now()`,
        dueAt: sql`now()`,
      })
      .returning();
    if (!inserted) throw new Error("execution insert returned nothing");
    await req.hold?.(tx, inserted.id);
    const taken = await claimExecution(tx, inserted.id);
    if (!taken) {
      await sendExecute(tx, inserted.id, inserted.priority);
      await appendExecutionEvent(tx, inserted);
    }
    return { row: inserted, claimed: taken };
  });
  if (claimed) {
    void runClaimed(claimed).catch((err: unknown) =>
      log().error({ err, execution: claimed.id }, "a deployed run's attempt failed unexpectedly"),
    );
  }
  return toExecutionRecord(claimed ?? row, agent.name);
}
