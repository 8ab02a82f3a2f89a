import "server-only";
import { createHash, randomUUID } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import type { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { agentRoutes, executions } from "@/db/schema";
import type { executeAsyncSchema, ExecuteBody, executeSyncSchema } from "@/lib/api/contracts/execute";
import { badRequest, forbidden, notFound, tooLarge, unprocessable } from "@/lib/api/errors";
import { partyOf, type Principal } from "@/lib/auth/principal";
import { inTransaction } from "@/lib/db";
import { environmentOf, mayInvoke } from "@/lib/deploy/invocations";
import type { Environment } from "@/lib/deploy/types";
import { env } from "@/lib/env";
import { checkRunPrice, holdForRun } from "@/lib/ledger/usage-hooks";
import { findAgentCached } from "@/lib/market/agents";
import { checkUrlForm, RefusedUrl } from "@/lib/webhooks/ssrf";
import { appendExecutionEvent } from "../lifecycle";
import { recentLogs } from "../logs";
import { PRIORITIES, toExecutionRecord } from "../serialize";
import { isTerminal, type ExecutionRow } from "../types";
import { checkCallerPending } from "./caller-limit";
import { claimExecution } from "./claim";
import { recentDuration } from "./estimate";
import { callbackConfigFromEnv } from "./callback";
import { runClaimed } from "./dispatch";
import { sendExecute } from "./queue";
import { waitForEnd } from "./waiters";

export type ExecuteAnswer =
  { status: 200; body: z.infer<typeof executeSyncSchema> } | { status: 202; body: z.infer<typeof executeAsyncSchema> };

const hashOf = (body: ExecuteBody, environment: Environment) => {
  const { execution_id: _id, ...rest } = body;
  return createHash("sha256")
    .update(JSON.stringify({ ...rest, environment }))
    .digest("hex");
};

function checkRequest(body: ExecuteBody): number {
  const e = env();
  const timeout = body.execution_options.timeout ?? e.EXECUTION_DEFAULT_TIMEOUT_S;
  if (timeout > e.EXECUTION_MAX_TIMEOUT_S) {
    throw badRequest(`timeout may be at most ${e.EXECUTION_MAX_TIMEOUT_S} s`, { max: e.EXECUTION_MAX_TIMEOUT_S });
  }
  if (Buffer.byteLength(JSON.stringify(body.input_data)) > e.EXECUTION_MAX_INPUT_BYTES) {
    throw tooLarge(e.EXECUTION_MAX_INPUT_BYTES);
  }
  const url = body.execution_options.callback_url;
  if (url) {
    try {
      checkUrlForm(url, callbackConfigFromEnv().policy);
    } catch (err) {
      if (err instanceof RefusedUrl)
        throw unprocessable(`callback_url refused: ${err.message}`, { field: "callback_url" });
      throw err;
    }
  }
  return timeout;
}

/** The same `execution_id` again: the same caller with the same body gets that execution, anything else 422. */
function replayable(row: ExecutionRow, principal: Principal, agentId: string, hash: string): ExecutionRow {
  const party = partyOf(principal);
  const same =
    row.agentId === agentId &&
    row.requestHash === hash &&
    row.startedByAgentId === party.agentId &&
    row.startedByUserId === party.userId;
  if (!same) throw unprocessable("This execution_id was used with another request", { field: "execution_id" });
  return row;
}

async function insertExecution(
  tx: Tx,
  principal: Principal,
  agentId: string,
  environment: Environment,
  body: ExecuteBody,
  ids: { id: string; hash: string; timeout: number },
): Promise<{ row: ExecutionRow; fresh: boolean }> {
  const opts = body.execution_options;
  if (opts.callback_url) {
    const [route] = await tx
      .select({ secret: agentRoutes.webhookSecret })
      .from(agentRoutes)
      .where(and(eq(agentRoutes.agentId, agentId), eq(agentRoutes.environment, environment)));
    if (!route?.secret) throw unprocessable("The deployment has no webhook secret to sign callbacks with");
  }
  const party = partyOf(principal);
  // A replay of an existing execution_id is not a new execution: only a fresh one counts against the limit.
  const [known] = await tx.select({ id: executions.id }).from(executions).where(eq(executions.id, ids.id));
  if (!known) await checkCallerPending(tx, party);
  const [row] = await tx
    .insert(executions)
    .values({
      id: ids.id,
      agentId,
      startedByAgentId: party.agentId,
      startedByUserId: party.userId,
      host: "deployed",
      status: "queued",
      input: body.input_data.parameters,
      timeoutS: ids.timeout,
      environment,
      priority: PRIORITIES.indexOf(opts.priority),
      async: opts.async,
      context: body.input_data.context ?? null,
      monitoring: body.monitoring ?? null,
      retryConfig: opts.retry_config ?? { max_retries: 3, retry_delay: 1, backoff_multiplier: 2 },
      requestHash: ids.hash,
      callbackUrl: opts.callback_url ?? null,
      queuedAt: sql`now()`,
      dueAt: sql`now()`,
    })
    .onConflictDoNothing({ target: executions.id })
    .returning();
  if (row) return { row, fresh: true };
  // A concurrent or earlier request with this id: its insert committed first (ON CONFLICT waited for it).
  const [existing] = await tx.select().from(executions).where(eq(executions.id, ids.id));
  if (!existing) throw notFound("Execution");
  return { row: replayable(existing, principal, agentId, ids.hash), fresh: false };
}

/** How long past its timeout a sync execute waits for the execution's end (the timeout itself being recorded). */
const TIMEOUT_GRACE_MS = 5_000;

/**
 * POST /api/agents/{id}/execute: records the execution (queued), then either runs it here at once (sync, when
 * its deployment has a free slot and nothing waits ahead of it) or leaves it to the queue's workers. Sync waits
 * up to EXECUTE_SYNC_WAIT_S (and the execution's timeout) for the end; past that, the async answer.
 */
export async function executeAgent(
  principal: Principal,
  agentId: string,
  body: ExecuteBody,
  opts: { environment?: Environment; origin: string },
): Promise<ExecuteAnswer> {
  if (!mayInvoke(principal)) {
    throw forbidden("This API key lacks the scope agent:execute (or invoke)", { missing_scopes: ["agent:execute"] });
  }
  const agent = await findAgentCached(agentId);
  if (!agent || agent.status === "retired") throw notFound("Agent");
  const timeout = checkRequest(body);
  // Pay per use (lib/ledger): a priced agent's run is refused up front over max_charge, held with the insert below.
  await checkRunPrice(await getDb(), principal, agent, body.max_charge);
  const environment = await environmentOf(agentId, opts.environment);
  const ids = { id: body.execution_id ?? randomUUID(), hash: hashOf(body, environment), timeout };
  const sync = !body.execution_options.async;
  const { row, claimed } = await inTransaction(async (tx) => {
    const made = await insertExecution(tx, principal, agentId, environment, body, ids);
    if (!made.fresh) return { ...made, claimed: null };
    await holdForRun(tx, principal, agent, made.row.id, body.max_charge);
    const taken = sync ? await claimExecution(tx, made.row.id) : null;
    if (!taken) {
      await sendExecute(tx, made.row.id, made.row.priority);
      await appendExecutionEvent(tx, made.row);
    }
    return { ...made, claimed: taken };
  });
  // A little past the execution's own timeout, so that an execution that times out is answered as `timeout`
  // within the wait instead of racing it (and answering 202 `running` a moment before it ends).
  const waitMs = Math.min(env().EXECUTE_SYNC_WAIT_S * 1000, timeout * 1000 + TIMEOUT_GRACE_MS);
  // Run here at once; past the cap the attempt goes on in the background and the answer is the async one.
  let current: ExecutionRow | null = claimed ? await withinCap(runClaimed(claimed), waitMs) : row;
  if (sync && (!current || !isTerminal(current.status))) {
    await waitForEnd(row.id, waitMs - (Date.now() - (row.queuedAt ?? row.startTime).getTime()));
    current = null;
  }
  if (!current) {
    const [now] = await (await getDb()).select().from(executions).where(eq(executions.id, row.id));
    current = now ?? row;
  }
  return answer(current ?? row, agent.name, sync, opts.origin);
}

async function withinCap(run: Promise<ExecutionRow | null>, ms: number): Promise<ExecutionRow | null> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<null>((r) => (timer = setTimeout(() => r(null), ms)));
  run.catch(() => {});
  try {
    return await Promise.race([run, late]);
  } finally {
    clearTimeout(timer);
  }
}

async function answer(row: ExecutionRow, agentName: string, sync: boolean, origin: string): Promise<ExecuteAnswer> {
  if (sync && (row.status === "completed" || row.status === "failed" || row.status === "timeout")) {
    const record = toExecutionRecord(row, agentName, await recentLogs(await getDb(), row.id));
    const { started_at, completed_at, duration, queue_time } = record.performance;
    return {
      status: 200,
      body: {
        execution_id: row.id,
        status: row.status,
        result: record.result,
        performance: { started_at, completed_at, duration, queue_time },
        logs: record.logs ?? [],
      },
    };
  }
  return {
    status: 202,
    body: {
      execution_id: row.id,
      status: row.status === "starting" ? "running" : (row.status as z.infer<typeof executeAsyncSchema>["status"]),
      estimated_completion: (await estimateEnd(row)).toISOString(),
      status_url: `${origin}/api/agents/${row.agentId}/executions/${row.id}`,
      callback_url: row.callbackUrl,
    },
  };
}

/** Now plus the median duration of the agent's last completed executions there (1 s without history). */
async function estimateEnd(row: ExecutionRow): Promise<Date> {
  if (row.endTime) return row.endTime;
  const { median_ms } = await recentDuration(await getDb(), row.agentId, row.environment);
  return new Date(Date.now() + Math.max(1, median_ms ?? 1000));
}
