import "server-only";
import { and, count, eq, inArray, ne, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { agents, executions } from "@/db/schema";
import { ApiError, badRequest, conflict, notFound, tooManyRequests, unprocessable } from "@/lib/api/errors";
import { actsForAgent } from "@/lib/auth/acting";
import { partyOf, type Principal } from "@/lib/auth/principal";
import { inTransaction } from "@/lib/db";
import { env } from "@/lib/env";
import { checkRunPrice, holdForRun } from "@/lib/ledger/usage-hooks";
import { log } from "@/lib/log";
import { runtimeSchema, splitRuntime } from "./config";
import { deployedEnvironmentOf, runDeployed } from "./execute/run-deployed";
import { loadRow, timeoutExecution } from "./executions";
import { FARGATE_MAX_INPUT_BYTES } from "./hosts/fargate";
import { getHost } from "./hosts/index";
import { appendExecutionEvent, patchHostState, transition } from "./lifecycle";
import { assertRuntimeAllowed } from "./policy";
import { secretValues } from "./secrets/store";
import { toExecutionRecord, type ExecutionJson } from "./serialize";
import { HostStartError, isHostStartError, LIVE_STATUSES, type ExecutionRow, type StartSpec } from "./types";

export interface RunRequest {
  input: Record<string, unknown>;
  timeoutS?: number;
  /** The most this run may cost the caller, in cents (a priced agent run by someone else). */
  maxCharge?: number;
}

/**
 * Starts an execution of an agent: 202-style, the record comes back `starting` (or `failed` if the host refused).
 * An agent with a live deployment runs through the deployment router instead of its raw runtime (run-deployed.ts).
 */
export async function startExecution(principal: Principal, agentId: string, req: RunRequest): Promise<ExecutionJson> {
  const e = env();
  const db = await getDb();
  const [agent] = await db
    .select({
      id: agents.id,
      name: agents.name,
      ownerUserId: agents.ownerUserId,
      status: agents.status,
      runtime: agents.runtime,
      pricePerRun: agents.pricePerRun,
      pricePerCall: agents.pricePerCall,
    })
    .from(agents)
    .where(eq(agents.id, agentId))
    .limit(1);
  // Its owner runs it free; anyone else only when the owner sells runs (price_per_run), paying on success.
  if (!agent) throw notFound("Agent");
  if (!(await actsForAgent(db, principal, agent.id, agent.ownerUserId)) && agent.pricePerRun === null) {
    throw notFound("Agent");
  }
  if (agent.status === "retired") throw conflict("This agent is retired and cannot be run");
  // A live deployment owns how the agent's code runs: the run goes through its router (run-deployed.ts).
  const deployedIn = await deployedEnvironmentOf(agent.id);
  if (deployedIn) {
    const timeoutS = checkRun(req, e.EXECUTION_MAX_INPUT_BYTES);
    await checkRunPrice(db, principal, agent, req.maxCharge);
    return runDeployed(principal, agent, deployedIn, {
      input: req.input,
      timeoutS,
      // A paid run holds its price in the transaction that records it; execute/finish.ts settles it.
      hold: (tx, executionId) => holdForRun(tx, principal, agent, executionId, req.maxCharge),
    });
  }
  const parsed = agent.runtime ? runtimeSchema.safeParse(agent.runtime) : null;
  if (!parsed?.success)
    throw unprocessable("This agent has no runtime to run it with; set `runtime` on the agent first");
  const runtime = parsed.data;
  if (runtime.kind === "agentcore") {
    throw unprocessable("This agent is hosted on AgentCore: it is invoked (POST /api/agents/invoke), not run");
  }
  // The operator's configuration may have changed since the runtime was written: check it again (lib/runtime/policy.ts).
  if (runtime.kind === "fargate") assertRuntimeAllowed(runtime);
  const timeoutS = checkRun(
    req,
    runtime.kind === "fargate"
      ? Math.min(e.EXECUTION_MAX_INPUT_BYTES, FARGATE_MAX_INPUT_BYTES)
      : e.EXECUTION_MAX_INPUT_BYTES,
  );
  await checkRunPrice(db, principal, agent, req.maxCharge);
  const starter = partyOf(principal);
  const max = e.EXECUTION_MAX_CONCURRENT_PER_AGENT;

  const row = await inTransaction(async (tx) => {
    // The agent row lock serialises concurrent runs of one agent, so the count below cannot be overtaken.
    await tx.execute(sql`SELECT id FROM agents WHERE id = ${agent.id} FOR UPDATE`);
    const [live] = await tx
      .select({ n: count() })
      .from(executions)
      .where(
        and(
          eq(executions.agentId, agent.id),
          inArray(executions.status, [...LIVE_STATUSES]),
          ne(executions.host, "deployed"),
        ),
      );
    if ((live?.n ?? 0) >= max) {
      throw tooManyRequests(
        `This agent already has ${max} live executions, its limit`,
        Math.max(1, Math.ceil(e.RECONCILE_INTERVAL_MS / 1000)),
        { limit: max },
      );
    }
    const [inserted] = await tx
      .insert(executions)
      .values({
        agentId: agent.id,
        startedByAgentId: starter.agentId,
        startedByUserId: starter.userId,
        host: runtime.kind,
        input: req.input,
        timeoutS,
      })
      .returning();
    if (!inserted) throw new Error("execution insert returned nothing");
    await holdForRun(tx, principal, agent, inserted.id, req.maxCharge);
    await appendExecutionEvent(tx, inserted);
    return inserted;
  });

  await launch(row, { id: agent.id, name: agent.name }, splitRuntime(runtime).stored as StartSpec["runtime"]);
  const current = await loadRow(db, row.id);
  return toExecutionRecord(current ?? row, agent.name);
}

/** The run's input size and timeout against the limits; returns the timeout in seconds. */
function checkRun(req: RunRequest, maxInput: number): number {
  const e = env();
  const inputBytes = Buffer.byteLength(JSON.stringify(req.input));
  if (inputBytes > maxInput) {
    throw new ApiError(413, "PayloadTooLargeError", `input is ${inputBytes} bytes; the limit is ${maxInput}`, {
      limit_bytes: maxInput,
    });
  }
  const timeoutS = req.timeoutS ?? Math.min(e.EXECUTION_DEFAULT_TIMEOUT_S, e.EXECUTION_MAX_TIMEOUT_S);
  if (timeoutS > e.EXECUTION_MAX_TIMEOUT_S) {
    throw badRequest(`timeout_s may be at most ${e.EXECUTION_MAX_TIMEOUT_S}`, {
      fields: { timeout_s: `at most ${e.EXECUTION_MAX_TIMEOUT_S}` },
    });
  }
  return timeoutS;
}

async function launch(
  row: ExecutionRow,
  agent: { id: string; name: string },
  runtime: StartSpec["runtime"],
): Promise<void> {
  const host = getHost(runtime.kind);
  host.pendingStarts.add(row.id);
  try {
    // The owner's variables reach the local process only (Fargate tasks get theirs from the task definition).
    const secrets = runtime.kind === "local" ? await loadSecrets(agent.id) : {};
    const res = await host.start({ execution: row, agent, runtime, secrets });
    await patchHostState(row.id, res.hostState, res.taskArn ? `ECS task ${res.taskArn}` : undefined, res.taskArn);
    armTimeout(row.id, row.timeoutS);
    // A stop that arrived while the host was starting found nothing to stop: stop what just started.
    const now = await loadRow(await getDb(), row.id);
    if (now?.status === "stopped") await host.stop(now, now.stoppedReason ?? "stopped while starting");
  } catch (err) {
    const { reason, stopCode } = startFailureOf(err);
    if (!isHostStartError(err)) log().error({ err, execution: row.id }, "execution start failed");
    await transition(row.id, { status: "failed", stopCode, stoppedReason: reason, log: reason });
  } finally {
    host.pendingStarts.delete(row.id);
  }
}

/**
 * What a failed start records: a host's own refusal keeps its reason (recognised by its brand, whichever bundle
 * threw it); anything else is our fault and is recorded generically (the details go to the server log).
 */
export function startFailureOf(err: unknown): { reason: string; stopCode: string | null } {
  if (isHostStartError(err)) return { reason: err.message, stopCode: err.stopCode ?? null };
  return { reason: "The host could not start the agent", stopCode: null };
}

async function loadSecrets(agentId: string): Promise<Record<string, string>> {
  try {
    return await secretValues(await getDb(), agentId);
  } catch (err) {
    log().error({ agent: agentId, reason: (err as Error).message }, "agent variables cannot be decrypted");
    throw new HostStartError("The agent's variables cannot be decrypted (the secrets key is missing or changed)");
  }
}

/** In-process timer for the execution's timeout; the reconciler also stops overdue executions (after a restart). */
function armTimeout(id: string, timeoutS: number): void {
  setTimeout(() => void timeoutExecution(id).catch(() => {}), timeoutS * 1000).unref();
}
