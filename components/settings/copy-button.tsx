"use client";

import { useState, useSyncExternalStore } from "react";
import { Button } from "@/components/ui/button";

export function CopyButton({ text, label = "Copy" }: { text: string; label?: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <Button
      variant="secondary"
      onClick={async () => {
        try {
          await navigator.clipboard.writeText(text);
          setCopied(true);
          setTimeout(() => setCopied(false), 2000);
        } catch {
          setCopied(false);
        }
      }}
    >
      <span aria-live="polite">{copied ? "Copied" : label}</span>
    </Button>
  );
}

const noop = () => () => {};

/** How to call the API with a key: curl with the header, against this site's own address. */
export function usageSnippet(origin: string, secret: string): string {
  return `curl ${origin}/api/agents/me \\\n  -H "Authorization: Bearer ${secret}"`;
}

/** A secret shown once: the key, a copy button, how to use it, and a warning that it will not be shown again. */
export function SecretOnce({ secret, onDone }: { secret: string; onDone?: () => void }) {
  const origin = useSyncExternalStore(
    noop,
    () => location.origin,
    () => "",
  );
  const snippet = usageSnippet(origin, secret);
  return (
    <div role="alert" className="space-y-3 rounded-lg border border-warn/50 bg-warn/10 p-3">
      <p className="text-sm font-medium">Copy this API key now. It will not be shown again.</p>
      <div className="flex flex-wrap items-center gap-2">
        <code data-testid="api-key" className="min-w-0 flex-1 break-all rounded bg-card px-2 py-1.5 font-mono text-xs">
          {secret}
        </code>
        <CopyButton text={secret} />
      </div>
      <div className="space-y-1">
        <p className="text-sm">Try it: this asks the API who the key belongs to.</p>
        <div className="flex flex-wrap items-start gap-2">
          <pre
            data-testid="key-usage"
            className="min-w-0 flex-1 whitespace-pre-wrap break-all rounded bg-card px-2 py-1.5 font-mono text-xs"
          >
            {snippet}
          </pre>
          <CopyButton text={snippet} label="Copy command" />
        </div>
      </div>
      {onDone ? (
        <Button variant="ghost" onClick={onDone}>
          I saved it
        </Button>
      ) : null}
    </div>
  );
}
