import { notFound } from "next/navigation";
import { DeploymentView } from "@/components/deployments/deployment-view";
import { getDb } from "@/db/client";
import { isUuid } from "@/lib/api/contract";
import { orNull, requireViewer } from "@/lib/client/server";
import { ownedAgent } from "@/lib/deploy/deploy";
import { deploymentView } from "@/lib/deploy/serialize";

export const metadata = { title: "Deployment" };

export default async function DeploymentPage({ params }: { params: Promise<{ id: string; deploymentId: string }> }) {
  const { id, deploymentId } = await params;
  const principal = await requireViewer(`/agents/${id}/deployments/${deploymentId}`);
  if (!isUuid(id) || !isUuid(deploymentId)) notFound();
  // As GET /api/agents/{id}/deployments/{deploymentId}: the owner's only.
  const agent = await orNull(ownedAgent(principal, id), [403, 404]);
  const deployment = agent ? await deploymentView(await getDb(), id, deploymentId) : null;
  if (!deployment) notFound();
  return <DeploymentView initial={deployment} />;
}
