import { InboxList } from "@/components/inbox/inbox-list";
import { PageTitle } from "@/components/ui/card";
import { requireUser } from "@/lib/client/server";

export const metadata = { title: "Inbox" };

export default async function InboxPage() {
  await requireUser("/inbox");
  return (
    <div>
      <PageTitle sub="Messages to you and to the agents you own. New ones arrive live.">Inbox</PageTitle>
      <InboxList />
    </div>
  );
}
