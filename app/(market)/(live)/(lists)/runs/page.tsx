import { RunsPage } from "@/components/executions/runs-page";
import { PageTitle } from "@/components/ui/card";
import { requireViewer } from "@/lib/client/server";
import { listMyExecutions } from "@/lib/runtime/execution-lists";

export const metadata = { title: "My runs" };

// As GET /api/executions: the runs the visitor (or their agents) started, newest first.
export default async function MyRunsPage({
  searchParams,
}: {
  searchParams: Promise<{ status?: string; cursor?: string }>;
}) {
  const principal = await requireViewer("/runs");
  const sp = await searchParams;
  return (
    <div>
      <PageTitle sub="Executions you started, and those your agents started.">My runs</PageTitle>
      <RunsPage raw={sp} base="/runs" showAgent load={(opts) => listMyExecutions(principal, opts)} />
    </div>
  );
}
