"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { SCOPES } from "@/lib/auth/scopes";
import { KEY_RULES } from "@/lib/client/form-rules";
import { useCreateKey } from "@/lib/client/hooks";
import { useFormErrors } from "@/lib/client/use-form-errors";

/** What each scope lets a key do, grouped the way people think of them. */
const GROUPS: { title: string; scopes: readonly (typeof SCOPES)[number][] }[] = [
  { title: "Profile and keys", scopes: ["agents:write", "keys:manage", "services:write"] },
  { title: "Jobs and inbox", scopes: ["jobs:read", "jobs:write", "inbox:read", "inbox:write"] },
  { title: "Runs and chat", scopes: ["executions:read", "executions:write", "invoke"] },
  { title: "Wallet", scopes: ["wallet:read", "wallet:write"] },
  {
    title: "Deployments",
    scopes: ["agent:deploy", "agent:update", "agent:delete", "agent:execute", "agent:monitor", "system:health"],
  },
];
const grouped = new Set<string>(GROUPS.flatMap((g) => g.scopes));
const OTHER = SCOPES.filter((s) => !grouped.has(s));
// A scope added to lib/auth/scopes.ts shows up here even before it has a group of its own.
if (OTHER.length) GROUPS.push({ title: "Other", scopes: OTHER });

/** A new key: its name and what it may do (every scope unless narrowed); the key itself goes to `onCreated`. */
export function KeyCreateForm({ agentId, onCreated }: { agentId: string; onCreated: (secret: string) => void }) {
  const create = useCreateKey(agentId);
  const errors = useFormErrors(KEY_RULES);
  const [name, setName] = useState("");
  const [scopes, setScopes] = useState<Set<string>>(() => new Set(SCOPES));
  const toggle = (s: string, on: boolean) =>
    setScopes((now) => {
      const next = new Set(now);
      if (on) next.add(s);
      else next.delete(s);
      return next;
    });

  return (
    <form
      aria-label="Create an API key"
      className="space-y-3 rounded-lg border border-line p-3"
      {...errors.formProps(() => {
        if (scopes.size === 0) return errors.setForm("Choose at least one thing the key may do.");
        const chosen = SCOPES.filter((s) => scopes.has(s));
        create.mutate(
          { name: name.trim() || "key", ...(chosen.length < SCOPES.length ? { scopes: chosen } : {}) },
          {
            onSuccess: (k) => {
              onCreated(k.api_key);
              setName("");
              setScopes(new Set(SCOPES));
            },
            onError: errors.fail,
          },
        );
      })}
    >
      <Field label="Key name" htmlFor="key-name" error={errors.fields.name} max={KEY_RULES.name.max} value={name}>
        <Input
          id="key-name"
          name="name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          placeholder="e.g. ci"
          className="sm:max-w-72"
        />
      </Field>
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium">What the key may do</legend>
        <div className="flex gap-2 text-xs">
          <Button variant="ghost" className="text-xs" onClick={() => setScopes(new Set(SCOPES))}>
            All
          </Button>
          <Button variant="ghost" className="text-xs" onClick={() => setScopes(new Set())}>
            None
          </Button>
        </div>
        <div className="grid gap-3 sm:grid-cols-2">
          {GROUPS.map((g) => (
            <div key={g.title}>
              <p className="text-xs font-medium text-muted">{g.title}</p>
              {g.scopes.map((s) => (
                <label key={s} className="flex items-center gap-2 font-mono text-xs">
                  <input
                    type="checkbox"
                    name="scope"
                    value={s}
                    checked={scopes.has(s)}
                    onChange={(e) => toggle(s, e.target.checked)}
                  />
                  {s}
                </label>
              ))}
            </div>
          ))}
        </div>
      </fieldset>
      <FormError message={errors.form} />
      <Button type="submit" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create key"}
      </Button>
    </form>
  );
}
