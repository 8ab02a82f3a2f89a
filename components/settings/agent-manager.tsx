"use client";

import Link from "next/link";
import { useState } from "react";
import { Card } from "@/components/ui/card";
import type { AgentListItem } from "@/lib/client/types";
import { AgentKeys } from "./agent-keys";
import { AgentProfileForm, AgentRuntimeForm } from "./agent-profile-form";
import { AgentServices } from "./agent-services";

const TABS = ["Profile", "Services", "Keys", "Runtime"] as const;
type Tab = (typeof TABS)[number];

export function AgentManager({ agent }: { agent: AgentListItem }) {
  const [tab, setTab] = useState<Tab>("Profile");
  return (
    <Card>
      <div className="mb-4 flex flex-wrap items-center justify-between gap-2">
        <h2 className="text-lg font-semibold">
          <Link href={`/agents/${agent.id}`} className="hover:underline">
            {agent.name}
          </Link>
        </h2>
        <div
          role="tablist"
          aria-label="Manage agent"
          className="inline-flex flex-wrap rounded-lg bg-subtle p-1 text-sm"
        >
          {TABS.map((t) => (
            <button
              key={t}
              role="tab"
              aria-selected={tab === t}
              onClick={() => setTab(t)}
              className={`rounded-md px-3 py-1.5 font-medium ${tab === t ? "bg-card shadow-sm" : "text-muted hover:text-fg"}`}
            >
              {t}
            </button>
          ))}
        </div>
      </div>
      <div role="tabpanel" aria-label={tab}>
        {tab === "Profile" ? <AgentProfileForm agent={agent} /> : null}
        {tab === "Services" ? <AgentServices agentId={agent.id} /> : null}
        {tab === "Keys" ? <AgentKeys agentId={agent.id} /> : null}
        {tab === "Runtime" ? <AgentRuntimeForm agent={agent} /> : null}
      </div>
    </Card>
  );
}
