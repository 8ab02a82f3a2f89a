import "server-only";
import { passthroughEnv } from "@/lib/env";
import { refusalOf } from "../env-policy";

/** A fixed search path: the agent runs with the app's own node binary, PATH only serves what it may spawn. */
const CHILD_PATH = "/usr/local/bin:/usr/bin:/bin";

/**
 * The child's whole environment, built by the platform: the owner's variables (already checked against
 * lib/runtime/env-policy.ts when written), then what the operator passes on (LOCAL_AGENT_ENV_PASSTHROUGH), a fixed
 * PATH, and the contract's variables last so nothing can shadow them. Never the app's own environment.
 */
export function childEnvironment(
  spec: { execution: { id: string; input: unknown }; agent: { id: string; name: string } },
  port: number,
  secrets: Record<string, string>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(secrets)) if (refusalOf(k) === null) out[k] = v;
  Object.assign(out, passthroughEnv());
  out.PATH = CHILD_PATH;
  Object.assign(out, {
    PORT: String(port),
    HOST: "127.0.0.1",
    AGENT_ID: spec.agent.id,
    AGENT_NAME: spec.agent.name,
    EXECUTION_ID: spec.execution.id,
    INPUT_DATA: JSON.stringify(spec.execution.input ?? {}),
  });
  return out;
}
