import "server-only";
import { randomBytes, randomUUID } from "node:crypto";
import type { TaskPushNotificationConfig } from "@a2a-js/sdk";
import { and, asc, count, eq, gt, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { a2aPushConfigs, jobs } from "@/db/schema";
import { notFound } from "@/lib/api/errors";
import { principalLabel, type Principal } from "@/lib/auth/principal";
import { callbackConfigFromEnv } from "@/lib/runtime/execute/callback";
import { decryptSecret, encryptSecret } from "@/lib/runtime/secrets/crypto";
import { checkUrlForm, RefusedUrl } from "@/lib/webhooks/ssrf";
import { invalidParams } from "../errors";

// A2A push notification configs of a task (a job), each its registering caller's own (db/schema/a2a-push.ts).

export type PushConfigRow = typeof a2aPushConfigs.$inferSelect;

/** At most this many configs per task and caller. */
export const MAX_CONFIGS_PER_TASK = 10;

const ID = /^[A-Za-z0-9._:-]{1,100}$/;

// Sealed like the agents' secrets, bound to the job and the config, so that a row copied elsewhere opens nowhere.
const secretName = (row: { id: string }, what: string) => `a2a-push:${row.id}:${what}`;
const seal = (jobId: string, row: { id: string }, what: string, value: string) => {
  const { keyId, ciphertext } = encryptSecret(jobId, secretName(row, what), value);
  return `${keyId}.${ciphertext}`;
};
export const openSealed = (row: PushConfigRow, what: "token" | "credentials", sealed: string) => {
  const dot = sealed.indexOf(".");
  return decryptSecret(row.jobId, secretName(row, what), {
    keyId: sealed.slice(0, dot),
    ciphertext: sealed.slice(dot + 1),
  });
};

/**
 * The Standard Webhooks secret a config's notifications are signed with: its token's bytes. The receiver, who
 * chose or was given the token, verifies with `new Webhook(base64(token))`.
 */
export function signingSecretOf(token: string): string {
  return Buffer.from(token, "utf8").toString("base64");
}

export function toTaskPushConfig(row: PushConfigRow): TaskPushNotificationConfig {
  return {
    tenant: "",
    id: row.configId,
    taskId: row.jobId,
    url: row.url,
    token: openSealed(row, "token", row.sealedToken),
    authentication:
      row.authScheme && row.sealedCredentials
        ? { scheme: row.authScheme, credentials: openSealed(row, "credentials", row.sealedCredentials) }
        : undefined,
  };
}

/** A config's values checked before anything is written (also before a hire that carries one). */
export function checkPushParams(params: TaskPushNotificationConfig): { configId: string; token: string } {
  const configId = params.id || randomUUID();
  if (!ID.test(configId)) throw invalidParams("id must be 1 to 100 letters, digits, '.', '_', ':' or '-'");
  if (params.url.length > 2048) throw invalidParams("url is too long (at most 2048 characters)");
  try {
    checkUrlForm(params.url, callbackConfigFromEnv().policy);
  } catch (err) {
    if (err instanceof RefusedUrl) throw invalidParams(`url refused: ${err.message}`, { field: "url" });
    throw err;
  }
  const token = params.token || randomBytes(32).toString("base64url");
  if (token.length < 16 || token.length > 256) throw invalidParams("token must be 16 to 256 characters");
  const auth = params.authentication;
  if (auth && (!auth.scheme || auth.scheme.length > 50 || (auth.credentials ?? "").length > 4096)) {
    throw invalidParams("authentication needs a scheme (at most 50 characters) and credentials (at most 4096)");
  }
  return { configId, token };
}

/**
 * Registers (or replaces, same id) a config on a job the caller may see. The URL must pass the callback SSRF
 * guard's form check (https; http to loopback only where the operator allows it). Without a token one is made,
 * and returned: it signs the notifications. Only changes after this are notified.
 */
export async function createPushConfig(
  principal: Principal,
  jobId: string,
  params: TaskPushNotificationConfig,
  protocolVersion: string,
): Promise<TaskPushNotificationConfig> {
  const { configId, token } = checkPushParams(params);
  const auth = params.authentication;
  const owner = principalLabel(principal);
  const db = await getDb();
  const [{ n } = { n: 0 }] = await db
    .select({ n: count() })
    .from(a2aPushConfigs)
    .where(and(eq(a2aPushConfigs.jobId, jobId), eq(a2aPushConfigs.owner, owner)));
  if (n >= MAX_CONFIGS_PER_TASK) {
    throw invalidParams(`At most ${MAX_CONFIGS_PER_TASK} push notification configs per task`);
  }
  const id = randomUUID();
  const values = {
    id,
    jobId,
    owner,
    configId,
    url: params.url,
    sealedToken: seal(jobId, { id }, "token", token),
    authScheme: auth?.scheme || null,
    sealedCredentials: auth?.credentials ? seal(jobId, { id }, "credentials", auth.credentials) : null,
    protocolVersion,
    // The job as it is now counts as notified: the config hears of what changes from here on.
    deliveredVersion: sql`(SELECT ${jobs.updatedAt} FROM ${jobs} WHERE ${jobs.id} = ${jobId})`,
  };
  const [row] = await db
    .insert(a2aPushConfigs)
    .values(values)
    .onConflictDoUpdate({
      target: [a2aPushConfigs.jobId, a2aPushConfigs.owner, a2aPushConfigs.configId],
      set: { ...values, status: "active", attempts: 0, nextAt: null, lastError: null, lastStatusCode: null },
    })
    .returning();
  return toTaskPushConfig(row!);
}

function mine(principal: Principal, jobId: string) {
  return and(eq(a2aPushConfigs.jobId, jobId), eq(a2aPushConfigs.owner, principalLabel(principal)));
}

export async function getPushConfig(principal: Principal, jobId: string, configId: string) {
  const db = await getDb();
  const [row] = await db
    .select()
    .from(a2aPushConfigs)
    .where(and(mine(principal, jobId), eq(a2aPushConfigs.configId, configId)));
  if (!row) throw notFound("Push notification config");
  return toTaskPushConfig(row);
}

/** The caller's configs of the task, oldest first; the page token is the last config's id. */
export async function listPushConfigs(principal: Principal, jobId: string, pageSize: number, pageToken: string) {
  const db = await getDb();
  const size = Math.min(Math.max(pageSize || MAX_CONFIGS_PER_TASK, 1), 100);
  const rows = await db
    .select()
    .from(a2aPushConfigs)
    .where(and(mine(principal, jobId), pageToken ? gt(a2aPushConfigs.configId, pageToken) : undefined))
    .orderBy(asc(a2aPushConfigs.configId))
    .limit(size + 1);
  const page = rows.slice(0, size);
  return {
    configs: page.map(toTaskPushConfig),
    nextPageToken: rows.length > size ? page[page.length - 1]!.configId : "",
  };
}

export async function deletePushConfig(principal: Principal, jobId: string, configId: string): Promise<void> {
  const db = await getDb();
  const gone = await db
    .delete(a2aPushConfigs)
    .where(and(mine(principal, jobId), eq(a2aPushConfigs.configId, configId)))
    .returning({ id: a2aPushConfigs.id });
  if (gone.length === 0) throw notFound("Push notification config");
}
