"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Select } from "@/components/ui/field";
import { useUpdateVersion } from "@/lib/client/deploy-hooks";
import { useFormErrors } from "@/lib/client/use-form-errors";
import { updateBody, type CodeSource } from "./deploy-body";
import type { ArtifactChoice } from "./deploy-form";
import { DEPLOY_RULES, NO_CODE } from "./form-rules";
import { CodeSourcePicker, Group, ResourceFields, SettingField, SettingRow, Toggle, initialSource } from "./form-parts";
import { HELP } from "./settings";

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
  const form = useFormErrors(DEPLOY_RULES);
  const errors = form.fields;

  return (
    <form
      aria-label="Roll out a version"
      className="space-y-5"
      {...form.formProps((f) => {
        if (newCode && !source) return form.setForm(NO_CODE);
        const { version, body } = updateBody(newCode ? source : null, f);
        update.mutate(
          { version, body },
          {
            onSuccess: (d) => router.push(`/agents/${agentId}/deployments/${d.deployment_id}`),
            onError: form.fail,
          },
        );
      })}
    >
      <Group title="Version">
        <div className="grid gap-3 sm:grid-cols-2">
          <SettingField
            name="environment"
            id="update_environment"
            hint="Where to roll it out; it must have a live version."
            options={environments.map((e) => ({
              value: e.environment,
              label: `${e.environment} (live: ${e.live_version})`,
            }))}
          />
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
            <SettingField name="version" id="update_version" errors={errors} defaultValue={suggestedVersion} />
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
            <SettingRow
              names={["traffic_percentage", "duration", "error_rate_threshold", "latency_threshold"]}
              errors={errors}
            />
          </div>
        ) : null}
      </Group>

      <Group title="Rollback">
        <Toggle name="auto_rollback">
          <SettingRow
            names={["rollback_error_rate", "rollback_timeout_rate", "rollback_health_failures"]}
            errors={errors}
          />
        </Toggle>
      </Group>

      <FormError message={form.form} />
      <Button type="submit" disabled={update.isPending}>
        {update.isPending ? "Starting…" : `Roll out with ${STRATEGY_NAMES[strategy].toLowerCase()}`}
      </Button>
    </form>
  );
}
