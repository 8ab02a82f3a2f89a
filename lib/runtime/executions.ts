import "server-only";
import { and, eq, inArray } from "drizzle-orm";
import { getDb, type Queryable } from "@/db/client";
import { agents, executions } from "@/db/schema";
import { conflict, notFound } from "@/lib/api/errors";
import { actsForAgent, actsForParty } from "@/lib/auth/acting";
import type { Principal } from "@/lib/auth/principal";
import { log } from "@/lib/log";
import { getHost } from "./hosts/index";
import { applyObservation, transition } from "./lifecycle";
import { recentLogs } from "./logs";
import { toExecutionRecord, type ExecutionJson } from "./serialize";
import { isTerminal, LIVE_STATUSES, type ExecutionRow } from "./types";

// An execution once started (lib/runtime/start.ts starts them): read it, refresh it from its host, stop it.

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
  // A deployed execution's call ends on its own; its worker finds the record final and discards the answer.
  if (updated.host === "deployed") return updated;
  try {
    await getHost(updated.host).stop(updated, reason);
  } catch (err) {
    log().error({ err, execution: row.id }, "host stop failed");
  }
  return updated;
}

export async function loadRow(db: Queryable, id: string): Promise<ExecutionRow | undefined> {
  const [row] = await db.select().from(executions).where(eq(executions.id, id)).limit(1);
  return row;
}

/** The execution if the principal may see it: the agent's owner (or the agent) and whoever started it. */
export async function loadVisible(principal: Principal, id: string): Promise<{ row: ExecutionRow; agentName: string }> {
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
  // Deployed executions are kept current by their worker (lib/runtime/execute), with their own timeout.
  if (isTerminal(row.status) || row.host === "deployed") return;
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

/** The record with its last log lines (both paths: GET /api/executions/{id} and the agent's executions/{id}). */
export async function getExecution(principal: Principal, id: string, agentId?: string): Promise<ExecutionJson> {
  const { row, agentName } = await loadVisible(principal, id);
  if (agentId !== undefined && row.agentId !== agentId) throw notFound("Execution");
  const db = await getDb();
  if (!isTerminal(row.status)) await refreshExecution(row);
  const current = isTerminal(row.status) ? row : ((await loadRow(db, id)) ?? row);
  return toExecutionRecord(current, agentName, await recentLogs(db, id));
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

/** For the SSE stream: the visible row (404 otherwise). */
export async function visibleExecution(principal: Principal, id: string): Promise<ExecutionRow> {
  return (await loadVisible(principal, id)).row;
}
