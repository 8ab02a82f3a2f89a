import { notFound } from "next/navigation";
import { JobView } from "@/components/jobs/job-view";
import { requireUser, serverApiOrNull } from "@/lib/client/server";
import type { JobDetail } from "@/lib/client/types";
import { isUuid } from "@/lib/api/contract";

export const metadata = { title: "Job" };

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireUser(`/jobs/${id}`);
  if (!isUuid(id)) notFound();
  const job = await serverApiOrNull<JobDetail>(`/api/jobs/${id}`);
  if (!job) notFound();
  return <JobView initial={job} />;
}
