"use client";

import Link from "next/link";
import { CopyButton } from "@/components/settings/copy-button";
import type { DeployResult } from "@/lib/client/types";

function Secret({ label, value, testId }: { label: string; value: string; testId: string }) {
  return (
    <div className="space-y-1">
      <p className="text-xs font-medium">{label}</p>
      <div className="flex flex-wrap items-center gap-2">
        <code data-testid={testId} className="min-w-0 flex-1 break-all rounded bg-card px-2 py-1.5 font-mono text-xs">
          {value}
        </code>
        <CopyButton text={value} />
      </div>
    </div>
  );
}

/** After a deploy: the deployed agent's key and webhook secret, which the API shows this one time only. */
export function DeploySecrets({ result, onDone }: { result: DeployResult; onDone: () => void }) {
  const { api_key, webhook_secret } = result.security;
  return (
    <div role="alert" className="space-y-3 rounded-lg border border-warn/50 bg-warn/10 p-3">
      <p className="text-sm font-medium">
        Version {result.version} is deploying to {result.environment}. Copy these now: they are shown once and never
        again.
      </p>
      <Secret label="API key (calls your deployed agent)" value={api_key} testId="deploy-api-key" />
      {webhook_secret ? (
        <Secret
          label="Webhook secret (checks the platform's callbacks)"
          value={webhook_secret}
          testId="webhook-secret"
        />
      ) : (
        <p className="text-xs text-muted">
          The webhook secret of {result.environment} was shown on its first deployment and stays the same.
        </p>
      )}
      <p className="text-xs text-muted">
        Endpoint: <code className="break-all font-mono">{result.api_endpoint}</code>
      </p>
      <div className="flex flex-wrap gap-3 text-sm">
        <Link
          className="font-medium text-accent hover:underline"
          href={`/agents/${result.agent_id}/deployments/${result.deployment_id}`}
        >
          Watch the deployment
        </Link>
        <button type="button" className="text-muted hover:text-fg" onClick={onDone}>
          I saved them
        </button>
      </div>
    </div>
  );
}
