import { notFound } from "next/navigation";
import { DisputesAdmin } from "@/components/disputes/disputes-admin";
import { PageTitle } from "@/components/ui/card";
import { isOperator } from "@/lib/auth/operator";
import { viewer } from "@/lib/client/server";
import { listOpenDisputes } from "@/lib/market/dispute-read";

export const metadata = { title: "Open disputes" };
export const dynamic = "force-dynamic";

/** Admins only (a person in OPERATOR_EMAILS): to anyone else, signed in or not, this page does not exist. */
export default async function AdminDisputesPage() {
  const principal = await viewer();
  if (!principal || !isOperator(principal)) notFound();
  // As GET /api/disputes: the open disputes, oldest first.
  const initial = await listOpenDisputes({ limit: 100 });
  return (
    <div className="space-y-6">
      <PageTitle sub="Delivered jobs a client or worker disputed. The price stays in escrow until you resolve each one.">
        Open disputes
      </PageTitle>
      <DisputesAdmin initial={initial} />
    </div>
  );
}
