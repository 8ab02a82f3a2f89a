import { ChatView } from "@/components/chat/chat-view";
import { requireUser } from "@/lib/client/server";
import { findAgentCached } from "@/lib/market/agents";
import { isUuid } from "@/lib/api/contract";

export const metadata = { title: "Chat" };

export default async function ChatPage({
  params,
  searchParams,
}: {
  params: Promise<{ agentId: string }>;
  searchParams: Promise<{ session?: string }>;
}) {
  const { agentId } = await params;
  const { session } = await searchParams;
  await requireUser(`/chat/${agentId}`);
  // A marketplace agent has a profile; a configured AgentCore agent (onboarding, provisioning, mwc) is named by its key.
  const agent = isUuid(agentId) ? await findAgentCached(agentId) : null;
  const name = agent?.name ?? decodeURIComponent(agentId);
  return <ChatView agentId={agentId} agentName={name} initialSession={session ?? null} />;
}
