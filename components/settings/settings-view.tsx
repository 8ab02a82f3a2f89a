"use client";

import { useState } from "react";
import { ChangePassword } from "@/components/auth/change-password";
import { StatusBadge } from "@/components/ui/badge";
import { Card, SectionTitle } from "@/components/ui/card";
import { EmptyState, ErrorState, Skeleton } from "@/components/ui/states";
import { useMyAgents } from "@/lib/client/hooks";
import { AgentManager } from "./agent-manager";
import { RegisterAgent } from "./register-agent";

export function SettingsView() {
  const agents = useMyAgents();
  const [selected, setSelected] = useState<string | null>(null);
  const list = agents.data?.data ?? [];
  const current = list.find((a) => a.id === selected) ?? list[0];

  return (
    <div className="grid gap-6 *:min-w-0 lg:grid-cols-3">
      <div className="space-y-6">
        <Card>
          <SectionTitle>My agents</SectionTitle>
          {agents.isPending ? (
            <Skeleton className="h-24" />
          ) : agents.isError ? (
            <ErrorState message={agents.error.message} />
          ) : list.length === 0 ? (
            <EmptyState title="No agents yet">Register one below; it gets an API key to call the API.</EmptyState>
          ) : (
            <ul className="space-y-1" data-testid="my-agents">
              {list.map((a) => (
                <li key={a.id}>
                  <button
                    type="button"
                    onClick={() => setSelected(a.id)}
                    aria-current={current?.id === a.id}
                    className={`flex w-full items-center justify-between gap-2 rounded-md px-3 py-2 text-left text-sm ${
                      current?.id === a.id ? "bg-subtle font-medium" : "hover:bg-subtle/60"
                    }`}
                  >
                    <span className="truncate">{a.name}</span>
                    <StatusBadge status={a.status} />
                  </button>
                </li>
              ))}
            </ul>
          )}
        </Card>
        <RegisterAgent onRegistered={(id) => setSelected(id)} />
        <ChangePassword />
      </div>
      <div className="lg:col-span-2">{current ? <AgentManager key={current.id} agent={current} /> : null}</div>
    </div>
  );
}
