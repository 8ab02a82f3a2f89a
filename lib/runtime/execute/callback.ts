import "server-only";
import { and, eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { agentRoutes, agents, executions } from "@/db/schema";
import type { CallbackAttempt } from "@/db/schema/executions";
import { inTransaction } from "@/lib/db";
import { openWebhookSecret } from "@/lib/deploy/webhook-secret";
import type { Environment } from "@/lib/deploy/types";
import { env } from "@/lib/env";
import { postSigned, type PostResult } from "@/lib/webhooks/post";
import type { SsrfPolicy } from "@/lib/webhooks/ssrf";
import { insertLogs } from "../logs";
import { toExecutionRecord } from "../serialize";
import { sendCallback } from "./queue";

/**
 * Delivers an ended execution's record to its callback_url: `{ type, timestamp, data: <execution record> }`,
 * signed with the deployment environment's webhook secret, the same `webhook-id` on every attempt (receivers
 * de-duplicate by it). A non-2xx or a timeout is retried after the schedule's next delay, a 410 stops, a URL the
 * SSRF guard refuses is not tried again; every attempt is written to the record.
 */

export interface CallbackConfig {
  /** Seconds before attempt 2, 3, ... (CALLBACK_RETRY_SCHEDULE_S). */
  schedule: number[];
  timeoutMs: number;
  policy: SsrfPolicy;
}

export function callbackConfigFromEnv(): CallbackConfig {
  const e = env();
  return {
    schedule: e.CALLBACK_RETRY_SCHEDULE_S,
    timeoutMs: e.CALLBACK_TIMEOUT_MS,
    policy: { allowLoopback: e.CALLBACK_ALLOW_LOOPBACK, allowPrivate: e.CALLBACK_ALLOW_PRIVATE },
  };
}

/** Returns the delay of the next attempt when one was queued (the worker wakes for it), else null. */
export async function deliverCallback(id: string, attempt: number, config: CallbackConfig): Promise<number | null> {
  const db = await getDb();
  const [r] = await db
    .select({ row: executions, agentName: agents.name, sealed: agentRoutes.webhookSecret })
    .from(executions)
    .innerJoin(agents, eq(agents.id, executions.agentId))
    .leftJoin(
      agentRoutes,
      and(
        eq(agentRoutes.agentId, executions.agentId),
        sql`${agentRoutes.environment}::text = ${executions.environment}`,
      ),
    )
    .where(eq(executions.id, id))
    .limit(1);
  // Another delivery of the same attempt (pg-boss is at least once) already wrote it.
  if (!r?.row.callbackUrl || r.row.callbackStatus !== "pending" || r.row.callbacks.length !== attempt - 1) return null;
  const { row } = r;
  const body = JSON.stringify({
    type: `execution.${row.status}`,
    timestamp: new Date().toISOString(),
    data: toExecutionRecord(row, r.agentName),
  });
  const result: PostResult = r.sealed
    ? await postSigned({
        url: row.callbackUrl!,
        secret: openWebhookSecret(row.agentId, row.environment as Environment, r.sealed),
        messageId: `msg_${row.id}`,
        body,
        policy: config.policy,
        timeoutMs: config.timeoutMs,
      })
    : { outcome: "refused", statusCode: null, error: "the deployment has no webhook secret to sign with" };
  const delay = result.outcome === "failed" ? config.schedule[attempt - 1] : undefined;
  const status =
    result.outcome === "delivered" || result.outcome === "gone"
      ? result.outcome
      : delay === undefined
        ? "failed"
        : "pending";
  const entry: CallbackAttempt = {
    attempt,
    at: new Date().toISOString(),
    status_code: result.statusCode,
    outcome: result.outcome,
    error: result.error,
  };
  await inTransaction(async (tx) => {
    const [updated] = await tx
      .update(executions)
      .set({
        callbacks: sql`${executions.callbacks} || ${JSON.stringify([entry])}::jsonb`,
        callbackStatus: status,
        updatedAt: sql`now()`,
      })
      .where(
        and(
          eq(executions.id, id),
          eq(executions.callbackStatus, "pending"),
          sql`jsonb_array_length(${executions.callbacks}) = ${attempt - 1}`,
        ),
      )
      .returning({ id: executions.id });
    if (!updated) return;
    const what =
      result.outcome === "delivered" ? `delivered (${result.statusCode})` : `${result.outcome}: ${result.error}`;
    const next = delay !== undefined ? `; next attempt in ${delay} s` : status === "failed" ? "; given up" : "";
    await insertLogs(tx, id, [{ stream: "system", line: `callback attempt ${attempt} ${what}${next}` }]);
    if (delay !== undefined) await sendCallback(tx, id, attempt + 1, delay);
  });
  return delay ?? null;
}
