import "server-only";
import { and, count, eq, inArray, or, sql, type SQL } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import { agents, executions } from "@/db/schema";
import { ApiError, badRequest, conflict, notFound, tooManyRequests, unprocessable } from "@/lib/api/errors";
import { keysetOrder, keysetPage, keysetWhere, readSeqCursor, timeSort, type Page } from "@/lib/api/pagination";
import { actsForAgent, actsForParty } from "@/lib/auth/acting";
import { partyOf, type Principal } from "@/lib/auth/principal";
import { inTransaction } from "@/lib/db";
import { env } from "@/lib/env";
import { runtimeSchema, splitRuntime } from "./config";
import { FARGATE_MAX_INPUT_BYTES } from "./hosts/fargate";
import { getHost } from "./hosts/index";
import { appendExecutionEvent, applyObservation, patchHostState, transition } from "./lifecycle";
import { readLogs, type LogLineJson } from "./logs";
import { assertRuntimeAllowed } from "./policy";
import { secretValues } from "./secrets/store";
import { toExecutionRecord, type ExecutionJson } from "./serialize";
import {
  HostStartError,
  isHostStartError,
  isTerminal,
  LIVE_STATUSES,
  type ExecutionRow,
  type ExecutionStatus,
  type StartSpec,
} from "./types";
import { log } from "@/lib/log";
import { ownedAgentIds } from "@/lib/market/agents";

export interface RunRequest {
  input: Record<string, unknown>;
  timeoutS?: number;
}

/** Starts an execution of an agent: 202-style, the record comes back `starting` (or `failed` if the host refused). */
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
    })
    .from(agents)
    .where(eq(agents.id, agentId))
    .limit(1);
  if (!agent || !(await actsForAgent(db, principal, agent.id, agent.ownerUserId))) throw notFound("Agent");
  if (agent.status === "retired") throw conflict("This agent is retired and cannot be run");
  const parsed = agent.runtime ? runtimeSchema.safeParse(agent.runtime) : null;
  if (!parsed?.success)
    throw unprocessable("This agent has no runtime to run it with; set `runtime` on the agent first");
  const runtime = parsed.data;
  if (runtime.kind === "agentcore") {
    throw unprocessable("This agent is hosted on AgentCore: it is invoked (POST /api/agents/invoke), not run");
  }
  // The operator's configuration may have changed since the runtime was written: check it again (issue 8).
  if (runtime.kind === "fargate") assertRuntimeAllowed(runtime);
  const maxInput =
    runtime.kind === "fargate"
      ? Math.min(e.EXECUTION_MAX_INPUT_BYTES, FARGATE_MAX_INPUT_BYTES)
      : e.EXECUTION_MAX_INPUT_BYTES;
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
  const starter = partyOf(principal);
  const max = e.EXECUTION_MAX_CONCURRENT_PER_AGENT;

  const row = await inTransaction(async (tx) => {
    // The agent row lock serialises concurrent runs of one agent, so the count below cannot be overtaken.
    await tx.execute(sql`SELECT id FROM agents WHERE id = ${agent.id} FOR UPDATE`);
    const [live] = await tx
      .select({ n: count() })
      .from(executions)
      .where(and(eq(executions.agentId, agent.id), inArray(executions.status, [...LIVE_STATUSES])));
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
    await appendExecutionEvent(tx, inserted);
    return inserted;
  });

  await launch(row, { id: agent.id, name: agent.name }, splitRuntime(runtime).stored as StartSpec["runtime"]);
  const current = await loadRow(db, row.id);
  return toExecutionRecord(current ?? row, agent.name);
}

async function launch(
  row: ExecutionRow,
  agent: { id: string; name: string },
  runtime: StartSpec["runtime"],
): Promise<void> {
  const host = getHost(row.host);
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

export async function timeoutExecution(id: string): Promise<ExecutionRow | null> {
  const row = await loadRow(await getDb(), id);
  if (!row || isTerminal(row.status)) return null;
  return stopRow(row, `Timed out after ${row.timeoutS} s`, "TimedOut");
}

/** Marks the execution stopped (one winner against a racing completion), then asks the host to stop it. */
async function stopRow(row: ExecutionRow, reason: string, stopCode: string): Promise<ExecutionRow | null> {
  const updated = await transition(row.id, {
    status: "stopped",
    stopCode,
    stoppedReason: reason,
    log: `stop: ${reason}`,
  });
  if (!updated) return null;
  try {
    await getHost(updated.host).stop(updated, reason);
  } catch (err) {
    log().error({ err, execution: row.id }, "host stop failed");
  }
  return updated;
}

async function loadRow(db: Queryable, id: string): Promise<ExecutionRow | undefined> {
  const [row] = await db.select().from(executions).where(eq(executions.id, id)).limit(1);
  return row;
}

/** The execution if the principal may see it: the agent's owner (or the agent) and whoever started it. */
async function loadVisible(principal: Principal, id: string): Promise<{ row: ExecutionRow; agentName: string }> {
  const db = await getDb();
  const [r] = await db
    .select({ row: executions, agentName: agents.name, ownerUserId: agents.ownerUserId })
    .from(executions)
    .innerJoin(agents, eq(agents.id, executions.agentId))
    .where(eq(executions.id, id))
    .limit(1);
  if (!r) throw notFound("Execution");
  const starter = { agentId: r.row.startedByAgentId, userId: r.row.startedByUserId };
  const visible =
    (await actsForParty(db, principal, starter)) || (await actsForAgent(db, principal, r.row.agentId, r.ownerUserId));
  if (!visible) throw notFound("Execution");
  return r;
}

/** Asks the host for news about one live execution (cheap for local; one DescribeTasks for Fargate). */
export async function refreshExecution(row: ExecutionRow): Promise<void> {
  if (isTerminal(row.status)) return;
  if (Date.now() - row.startTime.getTime() > row.timeoutS * 1000) {
    await stopRow(row, `Timed out after ${row.timeoutS} s`, "TimedOut");
    return;
  }
  try {
    const obs = (await getHost(row.host).describe([row])).get(row.id);
    if (obs) await applyObservation(row.id, obs);
  } catch (err) {
    // The stored record is still the best answer when the host cannot be reached.
    log().warn({ err, execution: row.id }, "execution refresh failed");
  }
}

export async function getExecution(principal: Principal, id: string): Promise<ExecutionJson> {
  const { row, agentName } = await loadVisible(principal, id);
  if (isTerminal(row.status)) return toExecutionRecord(row, agentName);
  await refreshExecution(row);
  return toExecutionRecord((await loadRow(await getDb(), id)) ?? row, agentName);
}

export async function stopExecution(principal: Principal, id: string): Promise<ExecutionJson> {
  const { row, agentName } = await loadVisible(principal, id);
  if (isTerminal(row.status)) throw conflict(`This execution is already ${row.status}`, { status: row.status });
  // A person's id is internal; an agent's is public, so only an agent is named.
  const reason = principal.kind === "agent" ? `Stopped on request of agent ${principal.agentId}` : "Stopped on request";
  const updated = await stopRow(row, reason, "UserInitiated");
  if (!updated) {
    const now = await loadRow(await getDb(), id);
    throw conflict(`This execution is already ${now?.status ?? "finished"}`, { status: now?.status ?? null });
  }
  return toExecutionRecord(updated, agentName);
}

/** Stops every live execution of an agent (the agent is being retired). Returns how many were stopped. */
export async function stopAgentExecutions(agentId: string, reason = "The agent was retired"): Promise<number> {
  const db = await getDb();
  const live = await db
    .select()
    .from(executions)
    .where(and(eq(executions.agentId, agentId), inArray(executions.status, [...LIVE_STATUSES])));
  let stopped = 0;
  for (const row of live) if (await stopRow(row, reason, "UserInitiated")) stopped++;
  return stopped;
}

export interface ListOptions {
  status?: ExecutionStatus;
  limit: number;
  cursor?: string;
}

const executionSort = timeSort(executions.startTime, executions.id, "desc");

/** An agent's executions, newest first. The owner sees all of them; anyone else only the ones they started. */
export async function listAgentExecutions(
  principal: Principal,
  agentId: string,
  opts: ListOptions,
): Promise<Page<ExecutionJson>> {
  const db = await getDb();
  const [agent] = await db
    .select({ id: agents.id, name: agents.name, ownerUserId: agents.ownerUserId })
    .from(agents)
    .where(eq(agents.id, agentId))
    .limit(1);
  if (!agent) throw notFound("Agent");
  const filters: SQL[] = [eq(executions.agentId, agentId)];
  if (opts.status) filters.push(eq(executions.status, opts.status));
  if (!(await actsForAgent(db, principal, agentId, agent.ownerUserId))) {
    const party = partyOf(principal);
    filters.push(
      party.agentId
        ? eq(executions.startedByAgentId, party.agentId)
        : (or(
            eq(executions.startedByUserId, party.userId as string),
            sql`${executions.startedByAgentId} IN ${ownedAgentIds(party.userId as string)}`,
          ) as SQL),
    );
  }
  const [total] = await db
    .select({ n: count() })
    .from(executions)
    .where(and(...filters));
  const after = keysetWhere(executionSort, opts.cursor);
  if (after) filters.push(after);
  const rows = await db
    .select({ row: executions, startMicros: executionSort.key })
    .from(executions)
    .where(and(...filters))
    .orderBy(...keysetOrder(executionSort))
    .limit(opts.limit + 1);
  const { page, next } = keysetPage(rows, opts.limit, (last) => [last.startMicros, last.row.id]);
  return {
    data: page.map((r) => toExecutionRecord(r.row, agent.name)),
    next_cursor: next,
    total: total?.n ?? 0,
  };
}

export async function listExecutionLogs(
  principal: Principal,
  id: string,
  opts: { limit: number; cursor?: string },
): Promise<Page<LogLineJson>> {
  await loadVisible(principal, id);
  const after = opts.cursor ? readSeqCursor(opts.cursor) : 0;
  const db = await getDb();
  const rows = await readLogs(db, id, after, opts.limit + 1);
  const { page, next } = keysetPage(rows, opts.limit, (last) => [last.id]);
  return { data: page, next_cursor: next };
}

/** For the SSE stream: the visible row (404 otherwise). */
export async function visibleExecution(principal: Principal, id: string): Promise<ExecutionRow> {
  return (await loadVisible(principal, id)).row;
}
