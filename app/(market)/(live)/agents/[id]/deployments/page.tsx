import { notFound } from "next/navigation";
import { DeployPanel } from "@/components/deployments/deploy-panel";
import { nextVersion } from "@/components/deployments/deploy-body";
import { Environments } from "@/components/deployments/environments";
import { DeploymentList, VersionList } from "@/components/deployments/history";
import { MetricsPanel } from "@/components/deployments/metrics-panel";
import { RefreshWhile } from "@/components/deployments/refresh-while";
import { LiveRefresh } from "@/components/layout/live-refresh";
import { ButtonLink } from "@/components/ui/button-link";
import { PageTitle, SectionTitle } from "@/components/ui/card";
import { getDb } from "@/db/client";
import { isUuid } from "@/lib/api/contract";
import { orNull, requireViewer } from "@/lib/client/server";
import { ownedAgent } from "@/lib/deploy/deploy";
import { environmentsOf } from "@/lib/deploy/public";
import { listDeployments, versionJson } from "@/lib/deploy/serialize";
import { listVersions } from "@/lib/deploy/versions";
import { listArtifacts } from "@/lib/runtime/artifacts";

export const metadata = { title: "Deployments" };

export default async function DeploymentsPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  const principal = await requireViewer(`/agents/${id}/deployments`);
  if (!isUuid(id)) notFound();
  // What GET /api/agents/{id}/deployments and /versions answer, for the agent's owner only (404 to anyone else).
  const agent = await orNull(ownedAgent(principal, id), [403, 404]);
  if (!agent) notFound();
  const db = await getDb();
  const [environments, deployments, versions] = await Promise.all([
    environmentsOf(db, id),
    listDeployments(db, id, { limit: 20 }),
    listVersions(db, id, { limit: 100 }),
  ]);
  const versionList = versions.data.map(versionJson);
  // The agent's own program (a local runtime names it) first: what its owner most likely ships.
  const own = (agent.runtime as { artifact?: unknown } | null)?.artifact;
  const artifacts = [...listArtifacts().values()]
    .map((a) => ({ name: a.name, description: a.description }))
    .sort((a, b) => Number(b.name === own) - Number(a.name === own));
  const live = environments.flatMap((e) =>
    e.live_version ? [{ environment: e.environment, live_version: e.live_version }] : [],
  );
  return (
    <div className="space-y-8">
      <LiveRefresh subjects={["deployment"]} ids={[id]} />
      <RefreshWhile active={deployments.data.some((d) => d.status === "deploying")} />
      <PageTitle
        sub="Versions, rollouts, health and metrics of your agent. Only you see this page."
        action={
          <ButtonLink href={`/agents/${id}`} variant="secondary">
            Agent page
          </ButtonLink>
        }
      >
        Deployments of {agent.name}
      </PageTitle>
      <section>
        <SectionTitle>Environments</SectionTitle>
        <Environments agentId={id} environments={environments} />
      </section>
      {environments.length ? (
        <section>
          <SectionTitle>Metrics</SectionTitle>
          <MetricsPanel agentId={id} environments={environments.map((e) => e.environment)} />
        </section>
      ) : null}
      <section>
        <SectionTitle>Ship a version</SectionTitle>
        <DeployPanel
          agent={{ id, name: agent.name }}
          artifacts={artifacts}
          suggestedVersion={nextVersion(versionList[0]?.version)}
          environments={live}
          versions={versionList.map((v) => v.version)}
        />
      </section>
      <section>
        <SectionTitle>Deployments</SectionTitle>
        <DeploymentList agentId={id} deployments={deployments.data} />
      </section>
      <section>
        <SectionTitle>Versions</SectionTitle>
        <VersionList versions={versionList} />
      </section>
    </div>
  );
}
