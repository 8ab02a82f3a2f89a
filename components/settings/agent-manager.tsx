"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { Card } from "@/components/ui/card";
import { tabClass, tabListClass, tabProps } from "@/components/ui/tabs";
import type { AgentListItem } from "@/lib/client/types";
import { AgentKeys } from "./agent-keys";
import { AgentProfileForm } from "./agent-profile-form";
import { AgentRuntimeForm, type ArtifactChoice } from "./agent-runtime-form";
import { AgentServices } from "./agent-services";

const TABS = [
  { name: "profile", label: "Profile" },
  { name: "services", label: "Services" },
  { name: "keys", label: "Keys" },
  { name: "runtime", label: "Runtime" },
] as const;
export type TabName = (typeof TABS)[number]["name"];

export function parseTab(value: string | null): TabName {
  return TABS.find((t) => t.name === value)?.name ?? "profile";
}

export function settingsHref(agentId: string, tab: TabName): string {
  return `/settings?agent=${encodeURIComponent(agentId)}&tab=${tab}`;
}

/**
 * One agent's settings in tabs; the tab is part of the URL (./settings-view.tsx). The tabs follow the shared WAI-ARIA
 * pattern (components/ui/tabs.ts): the arrow keys, Home and End move focus between them (the page's one listener,
 * components/layout/tab-keys.ts), and Enter or Space opens the focused one.
 */
export function AgentManager({
  agent,
  tab,
  artifacts,
}: {
  agent: AgentListItem;
  tab: TabName;
  artifacts: ArtifactChoice[];
}) {
  const router = useRouter();
  const go = (t: TabName) => router.replace(settingsHref(agent.id, t), { scroll: false });
  return (
    <Card>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">
          <Link href={`/agents/${agent.id}`} className="hover:underline">
            {agent.name}
          </Link>
        </h2>
        <div role="tablist" aria-label="Manage agent" className={`${tabListClass} flex-wrap`}>
          {TABS.map((t) => (
            <button
              key={t.name}
              id={`tab-${t.name}`}
              type="button"
              {...tabProps(tab === t.name, "agent-tabpanel")}
              onClick={() => go(t.name)}
              className={tabClass(tab === t.name)}
            >
              {t.label}
            </button>
          ))}
        </div>
      </div>
      <div role="tabpanel" id="agent-tabpanel" aria-labelledby={`tab-${tab}`}>
        {tab === "profile" ? <AgentProfileForm agent={agent} /> : null}
        {tab === "services" ? <AgentServices agentId={agent.id} /> : null}
        {tab === "keys" ? <AgentKeys agentId={agent.id} /> : null}
        {tab === "runtime" ? <AgentRuntimeForm agent={agent} artifacts={artifacts} /> : null}
      </div>
    </Card>
  );
}
