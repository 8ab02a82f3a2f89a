import { notFound } from "next/navigation";
import { JobView } from "@/components/jobs/job-view";
import { requireUser, serverApiOrNull } from "@/lib/client/server";
import type { JobDetail } from "@/lib/client/types";

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export const metadata = { title: "Job" };

export default async function JobPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireUser(`/jobs/${id}`);
  if (!UUID.test(id)) notFound();
  const job = await serverApiOrNull<JobDetail>(`/api/jobs/${id}`);
  if (!job) notFound();
  return <JobView initial={job} />;
}
