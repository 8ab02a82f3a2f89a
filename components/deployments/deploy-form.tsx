"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError, onFormData } from "@/components/ui/field";
import { ApiClientError } from "@/lib/client/api";
import { useDeploy } from "@/lib/client/deploy-hooks";
import type { DeployResult } from "@/lib/client/deploy-types";
import { deployBody, type CodeSource } from "./deploy-body";
import { DeploySecrets } from "./deploy-secrets";
import { CodeSourcePicker, Group, ResourceFields, SettingField, SettingRow, Toggle, initialSource } from "./form-parts";

export interface ArtifactChoice {
  name: string;
  description: string;
}

/** POST /api/agents/deploy from a form: a version of the agent's code to one environment. */
export function DeployForm({
  agent,
  artifacts,
  suggestedVersion,
}: {
  agent: { id: string; name: string };
  artifacts: ArtifactChoice[];
  suggestedVersion: string;
}) {
  const router = useRouter();
  const deploy = useDeploy(agent.id);
  const [source, setSource] = useState<CodeSource | null>(() => initialSource(artifacts));
  const [result, setResult] = useState<DeployResult | null>(null);
  const errors = deploy.error instanceof ApiClientError ? deploy.error.fields : {};

  if (result) {
    return (
      <DeploySecrets
        result={result}
        onDone={() => {
          setResult(null);
          deploy.reset();
        }}
      />
    );
  }
  return (
    <form
      aria-label="Deploy"
      className="space-y-5"
      onSubmit={onFormData((form) => {
        if (!source) return;
        deploy.mutate(deployBody(agent, source, form), {
          onSuccess: (r) => {
            setResult(r);
            router.refresh();
          },
        });
      })}
    >
      <Group title="Code">
        <CodeSourcePicker artifacts={artifacts} onChange={setSource} errors={errors} />
        <div className="grid gap-3 sm:grid-cols-2">
          <SettingField name="version" errors={errors} defaultValue={suggestedVersion} />
          <SettingField name="environment" />
        </div>
        <SettingField name="description" />
      </Group>
      <Group title="Resources">
        <ResourceFields errors={errors} />
      </Group>
      <Group title="Scaling and health">
        <Toggle name="auto_scaling">
          <SettingRow names={["min_instances", "max_instances", "target_utilization"]} errors={errors} />
        </Toggle>
        <Toggle name="health_check">
          <SettingRow names={["health_path", "health_interval"]} errors={errors} />
        </Toggle>
        <SettingField name="log_level" className="sm:max-w-48" />
      </Group>
      <FormError message={deploy.error?.message} />
      <Button type="submit" disabled={deploy.isPending || !source}>
        {deploy.isPending ? "Deploying…" : "Deploy"}
      </Button>
    </form>
  );
}
