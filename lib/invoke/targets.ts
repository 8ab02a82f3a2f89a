import "server-only";
import { eq } from "drizzle-orm";
import type { Queryable } from "@/db/client";
import { agents, executions } from "@/db/schema";
import { ApiError } from "@/lib/api/errors";
import { actsForAgent, actsForParty } from "@/lib/auth/acting";
import type { Principal } from "@/lib/auth/principal";
import { env } from "@/lib/env";
import { isRuntimeArn } from "@/lib/invoke/transports/arn";
import { agentcoreRuntimeSchema } from "@/lib/runtime/config";
import { runtimeArnAllowed } from "@/lib/runtime/operator";
import { invokeClientError } from "./errors";
import { log } from "@/lib/log";
import { isUuid } from "@/lib/api/contract";
import { environmentOf } from "@/lib/deploy/invocations";
import type { Environment } from "@/lib/deploy/types";

/** Something `POST /api/agents/invoke` can talk to. `target` is the stable name kept in sessions and metrics. */
export type InvokeTarget =
  | {
      kind: "agentcore";
      target: string;
      /** The marketplace agent, when the target is one. */
      agentId: string | null;
      runtimeArn: string;
      qualifier: string;
      transport: "ws" | "http";
    }
  | { kind: "execution"; target: string; agentId: string; executionId: string; endpoint: string }
  /** A deployed agent: through the router (lib/deploy/router.ts), by its deployment's traffic weights. */
  | { kind: "deployed"; target: string; agentId: string; environment: Environment };

export const CONFIG_KEYS = ["onboarding", "provisioning", "mwc"] as const;
export type ConfigKey = (typeof CONFIG_KEYS)[number];

/** `onboarding`, `Onboarding`, `onboarding-agent`, `OnboardingAgent` (the seed's spellings) -> `onboarding`. */
export function configKeyOf(agentId: string): ConfigKey | null {
  const k = agentId
    .toLowerCase()
    .replace(/[-_\s]?agent$/, "")
    .trim();
  return (CONFIG_KEYS as readonly string[]).includes(k) ? (k as ConfigKey) : null;
}

export function configuredArn(key: ConfigKey): string | undefined {
  const e = env();
  return { onboarding: e.ONBOARDING_AGENT_ARN, provisioning: e.PROVISIONING_AGENT_ARN, mwc: e.MWC_AGENT_ARN }[key];
}

/**
 * Resolves the `agentId` of an invocation: a configured key, a marketplace agent hosted on AgentCore, or a running
 * execution the caller may see (the agent itself, its owner, or whoever started it). Anything else is a 404.
 */
export async function resolveTarget(db: Queryable, principal: Principal, agentId: string): Promise<InvokeTarget> {
  const notFound = () => invokeClientError(404, "NotFoundError", "Agent not found", { agentId });
  const key = configKeyOf(agentId);
  if (key) {
    const runtimeArn = configuredArn(key);
    if (!runtimeArn) throw notFound();
    if (!isRuntimeArn(runtimeArn)) {
      log().error({ agent: key }, "the configured AgentCore runtime ARN is malformed");
      throw new ApiError(500, "InternalError", "This agent is misconfigured");
    }
    return {
      kind: "agentcore",
      target: `config:${key}`,
      agentId: null,
      runtimeArn,
      qualifier: "DEFAULT",
      transport: "ws",
    };
  }
  if (!isUuid(agentId)) throw notFound();

  const [agent] = await db
    .select({ id: agents.id, runtime: agents.runtime, status: agents.status })
    .from(agents)
    .where(eq(agents.id, agentId))
    .limit(1);
  if (agent) {
    if (agent.status === "retired") throw notFound();
    const runtime = agentcoreRuntimeSchema.safeParse(agent.runtime);
    if (!runtime.success) {
      // Not on AgentCore: a deployed agent (prod, else its only environment) goes through the router.
      const environment = await environmentOf(agent.id).catch((err: unknown) => {
        if (err instanceof ApiError && err.status === 404) throw notFound();
        throw err;
      });
      return { kind: "deployed", target: `agent:${agent.id}`, agentId: agent.id, environment };
    }
    // Checked again at every invocation: the operator may have narrowed the allow-list since the agent was written,
    // and the platform's AWS identity never calls a runtime the operator did not allow (docs/agent-contract.md).
    if (!runtimeArnAllowed(runtime.data.runtime_arn)) {
      throw invokeClientError(
        403,
        "AuthorizationError",
        "This agent's AgentCore runtime is not one the operator allows",
        { agentId },
      );
    }
    return {
      kind: "agentcore",
      target: `agent:${agent.id}`,
      agentId: agent.id,
      runtimeArn: runtime.data.runtime_arn,
      qualifier: runtime.data.qualifier,
      transport: runtime.data.transport,
    };
  }

  const [execution] = await db
    .select({
      id: executions.id,
      agentId: executions.agentId,
      status: executions.status,
      endpoint: executions.endpoint,
      startedByAgentId: executions.startedByAgentId,
      startedByUserId: executions.startedByUserId,
    })
    .from(executions)
    .where(eq(executions.id, agentId))
    .limit(1);
  if (!execution) throw notFound();
  const maySee =
    (await actsForAgent(db, principal, execution.agentId)) ||
    (await actsForParty(db, principal, { agentId: execution.startedByAgentId, userId: execution.startedByUserId }));
  if (!maySee) throw notFound();
  if (execution.status !== "running" || !execution.endpoint) {
    throw invokeClientError(409, "ConflictError", `The execution is ${execution.status}, not running`, { agentId });
  }
  return {
    kind: "execution",
    target: `execution:${execution.id}`,
    agentId: execution.agentId,
    executionId: execution.id,
    endpoint: execution.endpoint,
  };
}
