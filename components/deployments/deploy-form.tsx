"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { useDeploy } from "@/lib/client/deploy-hooks";
import { useFormErrors } from "@/lib/client/use-form-errors";
import type { DeployResult } from "@/lib/client/types";
import { deployBody, type CodeSource } from "./deploy-body";
import { DeploySecrets } from "./deploy-secrets";
import { DEPLOY_RULES, NO_CODE } from "./form-rules";
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
  const form = useFormErrors(DEPLOY_RULES);
  const errors = form.fields;

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
      {...form.formProps((f) => {
        if (!source) return form.setForm(NO_CODE);
        deploy.mutate(deployBody(agent, source, f), {
          onSuccess: (r) => {
            setResult(r);
            router.refresh();
          },
          onError: form.fail,
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
      <FormError message={form.form} />
      <Button type="submit" disabled={deploy.isPending}>
        {deploy.isPending ? "Deploying…" : "Deploy"}
      </Button>
    </form>
  );
}
