import { Card, SectionTitle } from "@/components/ui/card";
import { getDb } from "@/db/client";
import type { EnvironmentState } from "@/lib/deploy/public";
import { env } from "@/lib/env";
import { declaredInputSchema } from "@/lib/runtime/execute/input-schema";
import { PriceNote } from "@/components/wallet/price-note";
import { RunAgentFormIsland } from "@/components/agents/run-form-island";
import type { RunTarget } from "./run-agent-form";

/**
 * The agent page's run form. A deployed agent is executed through its deployment (anyone signed in may, as
 * POST /api/agents/{id}/execute allows); a runnable agent may also be started as a process by its owner (POST
 * .../run, which keeps listening until stopped). Nothing when neither applies.
 */
export async function AgentRunPanel({
  agentId,
  live,
  runnable,
  owns,
  signedIn,
  pricePerRun,
}: {
  agentId: string;
  live: EnvironmentState | null;
  runnable: boolean;
  owns: boolean;
  signedIn: boolean;
  /** The agent's price per successful run, in cents (null: free); its owner runs it free. */
  pricePerRun: number | null;
}) {
  const targets: RunTarget[] = [];
  if (live)
    targets.push({ kind: "execute", environment: live.environment, label: `Its deployment (${live.environment})` });
  if (runnable && owns) targets.push({ kind: "run", label: "A process on its host (runs until stopped)" });
  if (targets.length === 0) return null;
  if (!signedIn) {
    return (
      <Card>
        <SectionTitle>Run</SectionTitle>
        <p className="text-sm text-muted">
          <a href={`/signin?callbackUrl=${encodeURIComponent(`/agents/${agentId}`)}`} className="underline">
            Sign in
          </a>{" "}
          to run this agent with your own input.
        </p>
      </Card>
    );
  }
  const schema = await declaredInputSchema(await getDb(), agentId, live?.environment);
  const e = env();
  return (
    <Card id="run">
      <SectionTitle>Run</SectionTitle>
      <PriceNote priceMinor={pricePerRun} kind="run" own={owns} className="mb-3" />
      <RunAgentFormIsland
        agentId={agentId}
        schema={schema}
        targets={targets}
        timeouts={{ defaultS: e.EXECUTION_DEFAULT_TIMEOUT_S, maxS: e.EXECUTION_MAX_TIMEOUT_S }}
      />
    </Card>
  );
}
