import { notFound } from "next/navigation";
import { ExecutionView } from "@/components/executions/execution-view";
import type { Execution } from "@/lib/client/runtime-types";
import { requireUser, serverApiOrNull } from "@/lib/client/server";
import { isUuid } from "@/lib/api/contract";

export const metadata = { title: "Execution" };

export default async function ExecutionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  await requireUser(`/executions/${id}`);
  if (!isUuid(id)) notFound();
  const execution = await serverApiOrNull<Execution>(`/api/executions/${id}`);
  if (!execution) notFound();
  return <ExecutionView initial={execution} />;
}
