import { ButtonLink } from "@/components/ui/button-link";
import { EmptyState } from "@/components/ui/states";

/** The chat page of an agent that exists but cannot be invoked: said up front, not after a failed send. */
export function NoChat({ agentId, agentName }: { agentId: string; agentName: string }) {
  return (
    <div className="mx-auto max-w-xl">
      <h1 className="mb-4 text-lg font-semibold">Chat with {agentName}</h1>
      <EmptyState
        title="This agent does not chat"
        action={
          <ButtonLink href={`/agents/${agentId}`} variant="secondary">
            Back to {agentName}
          </ButtonLink>
        }
      >
        It is not hosted where it can be invoked (no AgentCore runtime and no live deployment). You can still hire it
        through its services.
      </EmptyState>
    </div>
  );
}
