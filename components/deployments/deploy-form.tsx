"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Select, onFormData } from "@/components/ui/field";
import { ApiClientError } from "@/lib/client/api";
import { useDeploy } from "@/lib/client/deploy-hooks";
import type { DeployResult } from "@/lib/client/deploy-types";
import { deployBody, type CodeSource } from "./deploy-body";
import { DeploySecrets } from "./deploy-secrets";
import { CodeSourcePicker, Group, NumberField, ResourceFields, Toggle, initialSource } from "./form-parts";
import { HELP } from "./help";
import { DEFAULT_DEPLOYMENT_CONFIG as D } from "@/lib/deploy/types";

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
          <Field label="Version" hint={HELP.version} error={errors["agent_metadata.version"]} htmlFor="version">
            <Input id="version" name="version" defaultValue={suggestedVersion} required maxLength={128} />
          </Field>
          <Field label="Environment" hint={HELP.environment} htmlFor="environment">
            <Select id="environment" name="environment" defaultValue="prod">
              <option value="prod">prod</option>
              <option value="staging">staging</option>
              <option value="dev">dev</option>
            </Select>
          </Field>
        </div>
        <Field label="What changed" hint={HELP.description} htmlFor="description">
          <Input id="description" name="description" maxLength={5000} />
        </Field>
      </Group>
      <Group title="Resources">
        <ResourceFields errors={errors} />
      </Group>
      <Group title="Scaling and health">
        <Toggle id="auto_scaling" label="Auto-scaling" hint={HELP.auto_scaling} defaultChecked>
          <NumberField
            id="min_instances"
            label="Minimum copies"
            hint={HELP.min_instances}
            defaultValue={D.auto_scaling.min_instances}
            min={1}
            max={100}
          />
          <NumberField
            id="max_instances"
            label="Maximum copies"
            hint={HELP.max_instances}
            defaultValue={D.auto_scaling.max_instances}
            min={1}
            max={100}
            error={errors["deployment_config.auto_scaling.min_instances"]}
          />
          <NumberField
            id="target_utilization"
            label="Target busy (%)"
            hint={HELP.target_utilization}
            defaultValue={D.auto_scaling.target_utilization * 100}
            min={1}
            max={100}
          />
        </Toggle>
        <Toggle id="health_check" label="Health checks" hint={HELP.health_check} defaultChecked>
          <Field
            label="Health path"
            hint={HELP.health_path}
            error={errors["monitoring.health_check.path"]}
            htmlFor="health_path"
          >
            <Input id="health_path" name="health_path" defaultValue={D.health_check.path} pattern="/.*" />
          </Field>
          <NumberField
            id="health_interval"
            label="Every (s)"
            hint={HELP.health_interval}
            defaultValue={D.health_check.interval}
            min={5}
            max={3600}
          />
        </Toggle>
        <Field label="Log level" hint={HELP.log_level} htmlFor="log_level">
          <Select id="log_level" name="log_level" defaultValue={D.log_level} className="sm:max-w-48">
            {["DEBUG", "INFO", "WARN", "ERROR"].map((l) => (
              <option key={l}>{l}</option>
            ))}
          </Select>
        </Field>
      </Group>
      <FormError message={deploy.error?.message} />
      <Button type="submit" disabled={deploy.isPending || !source}>
        {deploy.isPending ? "Deploying…" : "Deploy"}
      </Button>
    </form>
  );
}
