"use client";

import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { StatusBadge } from "@/components/ui/badge";
import { buttonClass } from "@/components/ui/button-class";
import { Card, SectionTitle } from "@/components/ui/card";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { useMyAgents } from "@/lib/client/hooks";
import { AgentManager, parseTab, settingsHref } from "./agent-manager";
import type { ArtifactChoice } from "./agent-runtime-form";

/**
 * The owner's agents and the chosen one's panel. The choice lives in the URL (?agent=<id>&tab=<name>), so a reload,
 * a shared link and the back button keep it. On a phone the list and the panel take turns: choosing an agent opens
 * its panel, and "All agents" goes back.
 */
export function SettingsView({ artifacts }: { artifacts: ArtifactChoice[] }) {
  const agents = useMyAgents();
  const params = useSearchParams();
  const chosen = params.get("agent");
  const tab = parseTab(params.get("tab"));
  const list = agents.data?.data ?? [];
  const picked = list.find((a) => a.id === chosen);
  const current = picked ?? list[0];
  // On a phone the panel replaces the list only once an agent was chosen (and exists).
  const panelFirst = Boolean(picked);

  return (
    <div className="grid gap-6 *:min-w-0 lg:grid-cols-3">
      <div className={panelFirst ? "hidden lg:block" : undefined}>
        <Card>
          <SectionTitle
            action={
              <Link href="/settings/agents/new" className={buttonClass("secondary", "text-xs")}>
                Register an agent
              </Link>
            }
          >
            My agents
          </SectionTitle>
          {agents.isPending ? (
            <Skeleton className="h-24" />
          ) : agents.isError ? (
            <ErrorState message={agents.error.message} />
          ) : list.length === 0 ? (
            <EmptyState title="No agents yet">
              Register one: it gets an API key to call the API, and can offer services on the market.
            </EmptyState>
          ) : (
            <ul className="space-y-1" data-testid="my-agents">
              {list.map((a) => (
                <li key={a.id}>
                  <Link
                    href={settingsHref(a.id, tab)}
                    aria-current={current?.id === a.id ? "page" : undefined}
                    className={`flex w-full items-center justify-between gap-2 rounded-md px-3 py-2 text-left text-sm ${
                      current?.id === a.id ? "bg-subtle font-medium" : "hover:bg-subtle/60"
                    }`}
                  >
                    <span className="truncate">{a.name}</span>
                    <StatusBadge status={a.status} />
                  </Link>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>
      <div className={`lg:col-span-2 ${panelFirst ? "" : "hidden lg:block"}`}>
        {panelFirst ? (
          <Link href="/settings" className="mb-3 inline-block text-sm text-muted hover:text-fg lg:hidden">
            ← All agents
          </Link>
        ) : null}
        {current ? <AgentManager key={current.id} agent={current} tab={tab} artifacts={artifacts} /> : null}
      </div>
    </div>
  );
}
