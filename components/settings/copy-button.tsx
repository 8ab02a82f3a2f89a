"use client";

import { useState } from "react";
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

/** A secret shown once: the key, a copy button and a warning that it will not be shown again. */
export function SecretOnce({ secret, onDone }: { secret: string; onDone: () => void }) {
  return (
    <div role="alert" className="space-y-2 rounded-lg border border-warn/50 bg-warn/10 p-3">
      <p className="text-sm font-medium">Copy this API key now. It will not be shown again.</p>
      <div className="flex flex-wrap items-center gap-2">
        <code data-testid="api-key" className="min-w-0 flex-1 break-all rounded bg-card px-2 py-1.5 font-mono text-xs">
          {secret}
        </code>
        <CopyButton text={secret} />
        <Button variant="ghost" onClick={onDone}>
          I saved it
        </Button>
      </div>
    </div>
  );
}
