import { notFound } from "next/navigation";
import { JobView } from "@/components/jobs/job-view";
import { orNull, requireViewer } from "@/lib/client/server";
import { getJobDetail } from "@/lib/market/jobs";
import { isUuid } from "@/lib/api/contract";

export const metadata = { title: "Job" };

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requireViewer(`/jobs/${id}`);
  if (!isUuid(id)) notFound();
  // As GET /api/jobs/{id}: its client and worker see it, anyone else gets 404.
  const job = await orNull(getJobDetail(principal, id));
  if (!job) notFound();
  return <JobView initial={job} />;
}
