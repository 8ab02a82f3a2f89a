"use client";

import { useState, type ComponentProps } from "react";
import { Card } from "@/components/ui/card";
import { tabClass, tabListClass, tabProps } from "@/components/ui/tabs";
import { DeployForm } from "./deploy-form";
import { UpdateForm } from "./update-form";

type Props = ComponentProps<typeof DeployForm> & Omit<ComponentProps<typeof UpdateForm>, "agentId">;

/**
 * The two ways to ship: deploy (a first version, or any version to an environment without a rollout in progress)
 * and roll out (a new version to a live environment with a strategy). One form at a time: they share field names.
 */
export function DeployPanel(props: Props) {
  const canUpdate = props.environments.length > 0;
  const [tab, setTab] = useState<"deploy" | "update">(canUpdate ? "update" : "deploy");
  return (
    <Card>
      <div role="tablist" aria-label="Ship a version" className={`mb-4 ${tabListClass}`}>
        <button
          {...tabProps(tab === "update")}
          disabled={!canUpdate}
          onClick={() => setTab("update")}
          className={`${tabClass(tab === "update")} disabled:opacity-50`}
        >
          Roll out a version
        </button>
        <button
          {...tabProps(tab === "deploy")}
          onClick={() => setTab("deploy")}
          className={tabClass(tab === "deploy")}
        >
          Deploy
        </button>
      </div>
      <div role="tabpanel" aria-label={tab === "deploy" ? "Deploy" : "Roll out a version"}>
        {tab === "deploy" ? (
          <DeployForm agent={props.agent} artifacts={props.artifacts} suggestedVersion={props.suggestedVersion} />
        ) : (
          <UpdateForm
            agentId={props.agent.id}
            environments={props.environments}
            versions={props.versions}
            artifacts={props.artifacts}
            suggestedVersion={props.suggestedVersion}
          />
        )}
      </div>
    </Card>
  );
}
