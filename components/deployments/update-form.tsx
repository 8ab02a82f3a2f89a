"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input, Select, onFormData } from "@/components/ui/field";
import { ApiClientError } from "@/lib/client/api";
import { useUpdateVersion } from "@/lib/client/deploy-hooks";
import { DEFAULT_DEPLOYMENT_CONFIG as D } from "@/lib/deploy/types";
import { updateBody, type CodeSource } from "./deploy-body";
import type { ArtifactChoice } from "./deploy-form";
import { CodeSourcePicker, Group, NumberField, ResourceFields, Toggle, initialSource } from "./form-parts";
import { HELP } from "./help";

const STRATEGIES = ["canary", "blue_green", "rolling"] as const;
type StrategyChoice = (typeof STRATEGIES)[number];
const STRATEGY_NAMES: Record<StrategyChoice, string> = {
  canary: "Canary",
  blue_green: "Blue/green",
  rolling: "Rolling",
};

/**
 * PUT /api/agents/{id}/versions/{version} from a form: roll a new version (new code) or an earlier one out to an
 * environment that has a live version, with a strategy, its canary trial and the rollback limits.
 */
export function UpdateForm({
  agentId,
  environments,
  versions,
  artifacts,
  suggestedVersion,
}: {
  agentId: string;
  environments: { environment: string; live_version: string }[];
  versions: string[];
  artifacts: ArtifactChoice[];
  suggestedVersion: string;
}) {
  const router = useRouter();
  const update = useUpdateVersion(agentId);
  const [newCode, setNewCode] = useState(true);
  const [source, setSource] = useState<CodeSource | null>(() => initialSource(artifacts));
  const [strategy, setStrategy] = useState<StrategyChoice>("canary");
  const errors = update.error instanceof ApiClientError ? update.error.fields : {};
  const C = D.canary;
  const R = D.rollback.rollback_triggers;

  return (
    <form
      aria-label="Roll out a version"
      className="space-y-5"
      onSubmit={onFormData((form) => {
        if (newCode && !source) return;
        const { version, body } = updateBody(newCode ? source : null, form);
        update.mutate(
          { version, body },
          { onSuccess: (d) => router.push(`/agents/${agentId}/deployments/${d.deployment_id}`) },
        );
      })}
    >
      <Group title="Version">
        <div className="grid gap-3 sm:grid-cols-2">
          <Field
            label="Environment"
            hint="Where to roll it out; it must have a live version."
            htmlFor="update_environment"
          >
            <Select id="update_environment" name="environment">
              {environments.map((e) => (
                <option key={e.environment} value={e.environment}>
                  {e.environment} (live: {e.live_version})
                </option>
              ))}
            </Select>
          </Field>
          <div role="radiogroup" aria-label="Which code" className="space-y-1 text-sm">
            <p className="font-medium">Which code</p>
            <label className="flex items-center gap-2">
              <input type="radio" name="which" checked={newCode} onChange={() => setNewCode(true)} /> New version
            </label>
            <label className="flex items-center gap-2">
              <input
                type="radio"
                name="which"
                checked={!newCode}
                disabled={versions.length === 0}
                onChange={() => setNewCode(false)}
              />
              A version deployed before
            </label>
          </div>
        </div>
        {newCode ? (
          <>
            <Field label="Version" hint={HELP.version} error={errors.version} htmlFor="update_version">
              <Input id="update_version" name="version" defaultValue={suggestedVersion} required maxLength={128} />
            </Field>
            <CodeSourcePicker artifacts={artifacts} onChange={setSource} errors={errors} />
            <ResourceFields errors={errors} />
          </>
        ) : (
          <Field label="Version" hint="Roll back to, or forward to, one you deployed before." htmlFor="update_version">
            <Select id="update_version" name="version">
              {versions.map((v) => (
                <option key={v}>{v}</option>
              ))}
            </Select>
          </Field>
        )}
      </Group>

      <Group title="Strategy">
        <div role="radiogroup" aria-label="Strategy" className="grid gap-2 sm:grid-cols-3">
          {STRATEGIES.map((s) => (
            <label
              key={s}
              className={`rounded-lg border p-3 text-sm ${strategy === s ? "border-accent bg-accent/5" : "border-line"}`}
            >
              <span className="flex items-center gap-2 font-medium">
                <input
                  type="radio"
                  name="strategy"
                  value={s}
                  checked={strategy === s}
                  onChange={() => setStrategy(s)}
                />
                {STRATEGY_NAMES[s]}
              </span>
              <span className="mt-1 block text-xs text-muted">{HELP.strategy[s]}</span>
            </label>
          ))}
        </div>
        {strategy === "canary" ? (
          <div className="grid gap-3 sm:grid-cols-2 lg:grid-cols-4">
            <NumberField
              id="traffic_percentage"
              label="Trial traffic (%)"
              hint={HELP.traffic_percentage}
              defaultValue={C.traffic_percentage}
              min={1}
              max={100}
              step="any"
              error={errors["canary_config.traffic_percentage"]}
            />
            <NumberField
              id="duration"
              label="Trial length (min)"
              hint={HELP.duration}
              defaultValue={C.duration}
              min={1}
              max={10080}
              error={errors["canary_config.duration"]}
            />
            <NumberField
              id="error_rate_threshold"
              label="Most failures (%)"
              hint={HELP.error_rate_threshold}
              defaultValue={C.success_criteria.error_rate_threshold * 100}
              min={0}
              max={100}
              step="any"
            />
            <NumberField
              id="latency_threshold"
              label="Slowest p95 (ms)"
              hint={HELP.latency_threshold}
              defaultValue={C.success_criteria.latency_threshold}
              min={1}
              max={600000}
            />
          </div>
        ) : null}
      </Group>

      <Group title="Rollback">
        <Toggle
          id="auto_rollback"
          label="Roll back on its own"
          hint={HELP.auto_rollback}
          defaultChecked={D.rollback.auto_rollback}
        >
          <NumberField
            id="rollback_error_rate"
            label="Failed calls (%)"
            hint={HELP.rollback_error_rate}
            defaultValue={R.error_rate * 100}
            min={0}
            max={100}
            step="any"
          />
          <NumberField
            id="rollback_timeout_rate"
            label="Timed-out calls (%)"
            hint={HELP.rollback_timeout_rate}
            defaultValue={R.timeout_rate * 100}
            min={0}
            max={100}
            step="any"
          />
          <NumberField
            id="rollback_health_failures"
            label="Failed health checks"
            hint={HELP.rollback_health_failures}
            defaultValue={R.health_check_failures}
            min={1}
            max={100}
          />
        </Toggle>
      </Group>

      <FormError message={update.error?.message} />
      <Button type="submit" disabled={update.isPending || (newCode && !source)}>
        {update.isPending ? "Starting…" : `Roll out with ${STRATEGY_NAMES[strategy].toLowerCase()}`}
      </Button>
    </form>
  );
}
