import "server-only";
import type { Task } from "@a2a-js/sdk";
import { isUuid } from "@/lib/api/contract";
import { notFound } from "@/lib/api/errors";
import type { Principal } from "@/lib/auth/principal";
import { getJobDeliverable } from "@/lib/market/job-read";
import { getJobDetail } from "@/lib/market/jobs";
import type { JobDetailJson } from "@/lib/market/job-serialize";
import { jobToTask } from "./task-map";

/**
 * The job as the caller's task, its newest deliverable whole: 404 (TaskNotFound) unless the caller is a party and,
 * at an agent's endpoint (`agentId`), the job is that agent's.
 */
export async function readTask(
  principal: Principal,
  jobId: string,
  agentId: string | null = null,
): Promise<{ task: Task; job: JobDetailJson }> {
  if (!isUuid(jobId)) throw notFound("Task");
  const job = await getJobDetail(principal, jobId);
  if (agentId && job.worker.id !== agentId) throw notFound("Task");
  const latest = job.latest_deliverable;
  const whole = latest?.truncated ? await getJobDeliverable(principal, job.id, latest.id) : latest;
  return { task: jobToTask(job, whole ?? null), job };
}
