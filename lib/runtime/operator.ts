import { env } from "@/lib/env";
import { AGENTCORE_ARN_RE } from "./config";
import { log } from "@/lib/log";

/**
 * What the operator allows agents to use with the platform's AWS identity: the ECS network and roles,
 * and the AgentCore runtimes. Everything here comes from the environment, never from a request.
 */

const list = (v: string | undefined) =>
  (v ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);

export interface EcsOperatorConfig {
  cluster: string;
  subnets: string[];
  securityGroups: string[];
  taskRoleArn: string | null;
  executionRoleArn: string | null;
  /** Task-definition families an agent may name start with this. */
  prefix: string;
  assignPublicIp: boolean;
}

/** The operator's ECS configuration, or null when Fargate is not set up (cluster, subnets and prefix needed). */
export function ecsOperatorConfig(): EcsOperatorConfig | null {
  const e = env();
  const subnets = list(e.ECS_SUBNETS);
  if (!e.ECS_CLUSTER || subnets.length === 0 || !e.ECS_TASK_DEFINITION_PREFIX) return null;
  return {
    cluster: e.ECS_CLUSTER,
    subnets,
    securityGroups: list(e.ECS_SECURITY_GROUPS),
    taskRoleArn: e.ECS_TASK_ROLE_ARN ?? null,
    executionRoleArn: e.ECS_EXECUTION_ROLE_ARN ?? null,
    prefix: e.ECS_TASK_DEFINITION_PREFIX,
    assignPublicIp: e.ECS_ASSIGN_PUBLIC_IP,
  };
}

/** `family` of `family` or `family:3`. */
export const familyOf = (taskDefinition: string) => taskDefinition.split(":")[0] as string;

export function familyAllowed(cfg: EcsOperatorConfig, taskDefinition: string): boolean {
  const family = familyOf(taskDefinition);
  return family.startsWith(cfg.prefix) && family.length > cfg.prefix.length;
}

interface ArnPattern {
  region: string | "*";
  account: string;
  name: string;
  prefix: boolean;
}

const PATTERN_RE = /^arn:aws:bedrock-agentcore:([a-z0-9-]+|\*):(\d{12}):runtime\/([A-Za-z0-9_-]*)(\*)?$/;

/** AGENTCORE_ALLOWED_RUNTIME_ARNS: malformed entries are ignored (fail closed) with one warning each. */
export function allowedArnPatterns(): ArnPattern[] {
  return list(env().AGENTCORE_ALLOWED_RUNTIME_ARNS).flatMap((p) => {
    const m = PATTERN_RE.exec(p);
    // A bare `runtime/*` would be fine (the account still binds it); an empty exact name names nothing.
    if (!m || (!m[4] && !m[3])) {
      log().warn({ pattern: p }, "ignoring a malformed AGENTCORE_ALLOWED_RUNTIME_ARNS entry");
      return [];
    }
    return [{ region: m[1] as string, account: m[2] as string, name: m[3] as string, prefix: Boolean(m[4]) }];
  });
}

/** The ARNs of the configured agents (onboarding, provisioning, mwc): the operator set them, so they are allowed. */
export function configuredRuntimeArns(): string[] {
  const e = env();
  return [e.ONBOARDING_AGENT_ARN, e.PROVISIONING_AGENT_ARN, e.MWC_AGENT_ARN].filter((a): a is string => !!a);
}

/** Whether agents may point at this AgentCore runtime ARN. */
export function runtimeArnAllowed(arn: string): boolean {
  const m = AGENTCORE_ARN_RE.exec(arn);
  if (!m) return false;
  if (configuredRuntimeArns().includes(arn)) return true;
  const [, region, account, name] = m as unknown as [string, string, string, string];
  return allowedArnPatterns().some(
    (p) =>
      (p.region === "*" || p.region === region) &&
      p.account === account &&
      (p.prefix ? name.startsWith(p.name) : name === p.name),
  );
}
