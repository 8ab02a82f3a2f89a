import "server-only";
import { createHash } from "node:crypto";
import type { StreamResponse, Task } from "@a2a-js/sdk";
import { V03PushNotificationSerializer } from "@a2a-js/sdk/compat/v0_3/server";
import { V1PushNotificationSerializer } from "@a2a-js/sdk/server";
import { eq, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { a2aPushConfigs, jobs } from "@/db/schema";
import { ApiError } from "@/lib/api/errors";
import type { Principal } from "@/lib/auth/principal";
import { postSigned, type PostResult } from "@/lib/webhooks/post";
import type { CallbackConfig } from "@/lib/runtime/execute/callback";
import { readTask } from "../task-read";
import { openSealed, signingSecretOf, type PushConfigRow } from "./store";

/** The config's owner, reading its own task: only what GetTask would show them is ever sent. */
function ownerOf(row: PushConfigRow): Principal {
  const [kind, id = ""] = row.owner.split(":");
  return kind === "user"
    ? { kind: "user", userId: id, scopes: ["jobs:read"] }
    : { kind: "agent", agentId: id, keyId: "", scopes: ["jobs:read"] };
}

/** The notification in the shape of the version the config was registered over (the SDK's serializers). */
function serialize(row: PushConfigRow, task: Task) {
  const event: StreamResponse = { payload: { $case: "task", value: task } };
  return row.protocolVersion === "0.3"
    ? new V03PushNotificationSerializer().serialize(event, task)
    : new V1PushNotificationSerializer().serialize(event, task);
}

/**
 * Sends a claimed config the task as it is now, signed (Standard Webhooks, keyed by the config's token; the same
 * webhook-id on every attempt of one change), with A2A's X-A2A-Notification-Token and the config's authentication.
 * Then records the outcome: delivered (this version is done), failed (the schedule's next delay, or given up on
 * this version when it has none), gone (410) or refused (the SSRF guard), which end the config.
 */
export async function deliverPush(row: PushConfigRow, config: CallbackConfig): Promise<PostResult["outcome"]> {
  const db = await getDb();
  // The version notified is read before the task, exactly (as text: a Date would drop the microseconds, and the
  // version would never equal the job's again): a change in between is sent now and once more, never lost.
  const [current] = await db
    .select({ v: sql<string>`${jobs.updatedAt}::text` })
    .from(jobs)
    .where(eq(jobs.id, row.jobId));
  if (!current) return "gone"; // the job is deleted, and its configs with it
  const version = current.v;
  let task: Task;
  try {
    task = (await readTask(ownerOf(row), row.jobId)).task;
  } catch (err) {
    if (!(err instanceof ApiError && err.status === 404)) throw err;
    // The owner can no longer see the task: nothing more is ever sent.
    await db
      .update(a2aPushConfigs)
      .set({ status: "gone", lastError: "the task is no longer visible to its owner", nextAt: null })
      .where(eq(a2aPushConfigs.id, row.id));
    return "gone";
  }
  const token = openSealed(row, "token", row.sealedToken);
  const headers: Record<string, string> = { "x-a2a-notification-token": token };
  if (row.authScheme && row.sealedCredentials) {
    headers.authorization = `${row.authScheme} ${openSealed(row, "credentials", row.sealedCredentials)}`;
  }
  const { body, contentType } = serialize(row, task);
  const result = await postSigned({
    url: row.url,
    secret: signingSecretOf(token),
    messageId: `msg_${row.id}_${createHash("sha256").update(version).digest("hex").slice(0, 16)}`,
    body,
    contentType,
    headers,
    policy: config.policy,
    timeoutMs: config.timeoutMs,
  });
  const seen = { lastStatusCode: result.statusCode, lastError: result.error };
  const delay = result.outcome === "failed" ? config.schedule[row.attempts] : undefined;
  const set =
    result.outcome === "gone" || result.outcome === "refused"
      ? { ...seen, status: result.outcome, nextAt: null }
      : delay !== undefined
        ? { ...seen, attempts: row.attempts + 1, nextAt: sql`now() + make_interval(secs => ${delay})` }
        : { ...seen, deliveredVersion: sql`${version}::timestamptz`, attempts: 0, nextAt: null };
  await db.update(a2aPushConfigs).set(set).where(eq(a2aPushConfigs.id, row.id));
  return result.outcome;
}
