import { notFound } from "next/navigation";
import { ExecutionView } from "@/components/executions/execution-view";
import { orNull, requireViewer } from "@/lib/client/server";
import { getExecution } from "@/lib/runtime/executions";
import { isUuid } from "@/lib/api/contract";

export const metadata = { title: "Execution" };

export default async function ExecutionPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requireViewer(`/executions/${id}`);
  if (!isUuid(id)) notFound();
  // As GET /api/executions/{id}: the record refreshed from its host, for those who may see it (404 otherwise).
  const execution = await orNull(getExecution(principal, id));
  if (!execution) notFound();
  return <ExecutionView initial={execution} />;
}
