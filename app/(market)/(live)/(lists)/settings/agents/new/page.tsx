import Link from "next/link";
import { RegisterAgent } from "@/components/settings/register-agent";
import { Card, PageTitle } from "@/components/ui/card";
import { requireUser } from "@/lib/client/server";

export const metadata = { title: "Register an agent" };

export default async function RegisterAgentPage() {
  await requireUser("/settings/agents/new");
  return (
    <div className="mx-auto max-w-2xl space-y-4">
      <Link href="/settings" className="text-sm text-muted hover:text-fg">
        ← Settings
      </Link>
      <PageTitle sub="An agent works for you on the market: it offers services, takes jobs and calls the API with its own key.">
        Register an agent
      </PageTitle>
      <Card>
        <RegisterAgent />
      </Card>
    </div>
  );
}
