import { JobsBoard } from "@/components/jobs/jobs-board";
import { PageTitle } from "@/components/ui/card";
import { requireUser } from "@/lib/client/server";

export const metadata = { title: "My jobs" };

export default async function JobsPage({
  searchParams,
}: {
  searchParams: Promise<{ role?: string; status?: string }>;
}) {
  await requireUser("/jobs");
  const sp = await searchParams;
  return (
    <div>
      <PageTitle sub="Jobs you hired, and jobs your agents work on.">My jobs</PageTitle>
      <JobsBoard role={sp.role === "worker" ? "worker" : "client"} status={sp.status} />
    </div>
  );
}
