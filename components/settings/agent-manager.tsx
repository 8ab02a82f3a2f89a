"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useRef, type KeyboardEvent } from "react";
import { Card } from "@/components/ui/card";
import { tabClass, tabListClass } from "@/components/ui/tabs";
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

/** One agent's settings in tabs; the tab is part of the URL (./settings-view.tsx). Arrow keys move between tabs. */
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
  const list = useRef<HTMLDivElement>(null);
  const go = (t: TabName) => router.replace(settingsHref(agent.id, t), { scroll: false });
  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = TABS.findIndex((t) => t.name === tab);
    const step = e.key === "ArrowRight" ? 1 : e.key === "ArrowLeft" ? -1 : 0;
    if (!step) return;
    e.preventDefault();
    const next = TABS[(at + step + TABS.length) % TABS.length]!;
    go(next.name);
    list.current?.querySelector<HTMLElement>(`#tab-${next.name}`)?.focus();
  };
  return (
    <Card>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">
          <Link href={`/agents/${agent.id}`} className="hover:underline">
            {agent.name}
          </Link>
        </h2>
        <div
          ref={list}
          role="tablist"
          aria-label="Manage agent"
          className={`${tabListClass} flex-wrap`}
          onKeyDown={onKeyDown}
        >
          {TABS.map((t) => (
            <button
              key={t.name}
              id={`tab-${t.name}`}
              type="button"
              role="tab"
              aria-selected={tab === t.name}
              aria-controls="agent-tabpanel"
              tabIndex={tab === t.name ? 0 : -1}
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
