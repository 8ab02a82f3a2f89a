import { notFound } from "next/navigation";
import { ChatView } from "@/components/chat/chat-view";
import { NoChat } from "@/components/chat/no-chat";
import { PriceNote } from "@/components/wallet/price-note";
import { requireUser } from "@/lib/client/server";
import { chatTargetOf } from "./chat-target";

export const metadata = { title: "Chat" };

export default async function ChatPage({ params }: { params: Promise<{ agentId: string }> }) {
  const { agentId } = await params;
  const user = await requireUser(`/chat/${agentId}`);
  // A marketplace agent has a profile; a configured AgentCore agent (onboarding, provisioning, mwc) is named by its key.
  const target = await chatTargetOf(decodeURIComponent(agentId));
  if (!target) notFound();
  if (!target.chats) return <NoChat agentId={target.agentId} agentName={target.name} />;
  return (
    <>
      <PriceNote
        priceMinor={target.pricePerCall}
        kind="call"
        own={target.ownerUserId !== null && target.ownerUserId === user.id}
        className="mb-3"
      />
      <ChatView key={agentId} agentId={agentId} agentName={target.name} />
    </>
  );
}
