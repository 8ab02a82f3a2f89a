import "server-only";
import http from "node:http";
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { agentSessions, deploymentInstances } from "@/db/schema";
import { ApiError } from "@/lib/api/errors";
import { SLOT_PATH, type AgentCoreSlot } from "@/lib/deploy/hosts/agentcore/slot";
import { callInstance, Unreached } from "@/lib/deploy/instance-call";
import { callEnded, callStarted } from "@/lib/deploy/instances/load";
import { pickInstance, pickVersion } from "@/lib/deploy/pick";
import { forgetRoute, routeView, type RouteView } from "@/lib/deploy/route-view";
import type { Environment } from "@/lib/deploy/types";
import { env } from "@/lib/env";
import { log } from "@/lib/log";
import { recordCall } from "@/lib/metrics/recorder";
import { getAgentCoreClient } from "./client";
import { InvocationError, STATUS_OF, toInvocationError, type InvocationErrorKind } from "./errors";
import type { ChunkListener, StreamOutcome } from "./transports/collector";
import { readAnswerBody } from "./transports/http-stream";

/**
 * The invocation of a deployed agent (POST /api/agents/invoke, lib/api/contracts/invoke.ts): the deployment router's choice (the route's
 * weights, the least loaded healthy instance), except that a session stays on the version that started it while
 * that version serves (`agent_sessions.version_id`, written after its first answered call). An AgentCore instance
 * is invoked directly over the signed transport (InvokeAgentRuntime, qualifier = the endpoint its gateway names), so the
 * answer streams and AgentCore's errors keep their kind; other hosts' instances get the agent contract's streamed
 * POST /invocations. Either way the call counts for its version (metrics, load), as the router's calls do.
 */

export interface DeployedCall {
  agentId: string;
  environment: Environment;
  prompt: string;
  sessionId: string;
  /** The caller named an existing session (only such a session can have a version). */
  continuing: boolean;
  /** Settles once the session row exists. */
  sessionReady: Promise<void>;
  onChunk: ChunkListener;
  signal?: AbortSignal;
}

export interface DeployedAnswer extends StreamOutcome {
  transport: "ws" | "http";
  durationMs: number;
  versionId: string;
}

type Instance = { id: string; address: string };
type VersionInfo = { version: string; timeoutMs: number };

const usable = (view: RouteView, versionId: string, skip: Set<string>) =>
  view.instances.get(versionId)?.some((i) => !skip.has(i.id)) ?? false;

async function sessionVersion(sessionId: string): Promise<string | null> {
  const db = await getDb();
  const [row] = await db
    .select({ versionId: agentSessions.versionId })
    .from(agentSessions)
    .where(eq(agentSessions.sessionId, sessionId))
    .limit(1);
  return row?.versionId ?? null;
}

async function pin(c: DeployedCall, versionId: string): Promise<void> {
  try {
    await c.sessionReady;
    const db = await getDb();
    await db.update(agentSessions).set({ versionId }).where(eq(agentSessions.sessionId, c.sessionId));
  } catch (err) {
    log().warn({ err, agent: c.agentId }, "could not record the version of a session");
  }
}

// An instance's host never changes: asked once per instance.
const hosts = new Map<string, string>();
async function hostOf(instanceId: string): Promise<string> {
  const known = hosts.get(instanceId);
  if (known) return known;
  const db = await getDb();
  const [row] = await db
    .select({ host: deploymentInstances.host })
    .from(deploymentInstances)
    .where(eq(deploymentInstances.id, instanceId));
  const host = row?.host ?? "local";
  if (hosts.size > 10_000) hosts.clear();
  hosts.set(instanceId, host);
  return host;
}

/** The runtime and endpoint an AgentCore instance stands for now, from its gateway. */
function readSlot(address: string): Promise<AgentCoreSlot> {
  return new Promise((resolve, reject) => {
    const req = http.get({ socketPath: address, path: SLOT_PATH, timeout: 2_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () => {
        if (res.statusCode !== 200) return reject(new Unreached(`slot answered ${res.statusCode}`));
        try {
          resolve(JSON.parse(Buffer.concat(chunks).toString("utf8")) as AgentCoreSlot);
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.on("timeout", () => req.destroy(new Error("slot timeout")));
    req.on("error", (err: Error & { code?: string }) =>
      reject(err.code === "ENOENT" || err.code === "ECONNREFUSED" ? new Unreached(err.message) : err),
    );
  });
}

async function viaAgentCore(c: DeployedCall, versionId: string, instance: Instance): Promise<DeployedAnswer> {
  const slot = await readSlot(instance.address);
  const started = performance.now();
  let outcome: "ok" | "error" | "timeout" = "error";
  let bytesOut = 0;
  callStarted(instance.id, versionId);
  try {
    const r = await getAgentCoreClient().invokeAgent(slot.runtime_arn, c.prompt, c.sessionId, {
      qualifier: slot.qualifier,
      // InvokeAgentRuntime: every agent serves /invocations (streamed or not); /ws is optional in the contract.
      transport: "http",
      onChunk: c.onChunk,
      signal: c.signal,
    });
    outcome = "ok";
    bytesOut = Buffer.byteLength(r.response);
    return {
      text: r.response,
      chunks: r.metadata.chunks,
      incomplete: !!r.incomplete,
      firstChunkMs: r.metadata.firstChunkMs,
      transport: "http",
      durationMs: r.metadata.duration,
      versionId,
    };
  } catch (err) {
    const e = toInvocationError(err);
    // The caller's mistake, or the caller gone, is not the version's fault (as the router counts them).
    outcome =
      e.name === "TimeoutError" ? "timeout" : e.name === "ValidationError" || c.signal?.aborted ? "ok" : "error";
    throw e;
  } finally {
    callEnded(instance.id, versionId);
    const latencyMs = performance.now() - started;
    const bytesIn = Buffer.byteLength(c.prompt);
    recordCall({ agentId: c.agentId, environment: c.environment, versionId, latencyMs, outcome, bytesIn, bytesOut });
  }
}

/** A local or Fargate instance: the agent contract's POST /invocations through the router's instance call, streamed. */
async function viaInstance(
  c: DeployedCall,
  versionId: string,
  v: VersionInfo,
  instance: Instance,
): Promise<DeployedAnswer> {
  const started = performance.now();
  const body = JSON.stringify({ prompt: c.prompt, sessionId: c.sessionId });
  let answer;
  try {
    answer = await callInstance(
      { agentId: c.agentId, environment: c.environment, body, stream: true, signal: c.signal },
      versionId,
      v,
      instance,
    );
  } catch (err) {
    if (err instanceof ApiError && err.name in STATUS_OF) {
      throw new InvocationError(err.name as InvocationErrorKind, err.message);
    }
    throw err;
  }
  if (answer.status >= 400) {
    if (typeof answer.body !== "string") void answer.body.cancel().catch(() => {});
    throw new InvocationError("ValidationError", "The agent rejected the request as invalid");
  }
  const stream = typeof answer.body === "string" ? null : answer.body.getReader();
  const text = typeof answer.body === "string" ? answer.body : "";
  const chunks: AsyncIterable<Uint8Array> = {
    async *[Symbol.asyncIterator]() {
      if (!stream) return yield Buffer.from(text);
      for (let r = await stream.read(); !r.done; r = await stream.read()) yield r.value;
    },
  };
  const outcome = await readAnswerBody(chunks, {
    contentType: answer.contentType,
    idleTimeoutMs: env().INVOKE_IDLE_TIMEOUT_MS,
    startedAt: started,
    onChunk: c.onChunk,
    cancel: () => void stream?.cancel().catch(() => {}),
    signal: c.signal,
  });
  return { ...outcome, transport: "http", durationMs: Math.round(performance.now() - started), versionId };
}

/** Calls the deployed agent for one invocation in a session; the session keeps the version that answered. */
export async function callDeployedAgent(c: DeployedCall): Promise<DeployedAnswer> {
  const pinned = c.continuing ? await sessionVersion(c.sessionId) : null;
  const skip = new Set<string>();
  for (let attempt = 0; attempt < 3; attempt++) {
    const view = await routeView(c.agentId, c.environment);
    if (!view) throw new InvocationError("NotFoundError", `The agent has no deployment in ${c.environment}`);
    const versionId = pinned && usable(view, pinned, skip) ? pinned : pickVersion(view, skip);
    const instance = versionId ? pickInstance(view.instances.get(versionId) ?? [], skip) : null;
    if (!versionId || !instance) break;
    try {
      const v = view.versions.get(versionId) ?? { version: "", timeoutMs: 30_000 };
      const answer =
        (await hostOf(instance.id)) === "agentcore"
          ? await viaAgentCore(c, versionId, instance)
          : await viaInstance(c, versionId, v, instance);
      if (versionId !== pinned) await pin(c, versionId);
      return answer;
    } catch (err) {
      // The instance went away after this process read the route: read it again and take another one.
      if (!(err instanceof Unreached)) throw err;
      skip.add(instance.id);
      await forgetRoute(c.agentId, c.environment);
    }
  }
  throw new InvocationError("ServiceUnavailableError", "No healthy instance can take the call; try again shortly");
}
