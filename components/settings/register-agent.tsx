"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, SectionTitle } from "@/components/ui/card";
import { Field, Input, Textarea } from "@/components/ui/field";
import { ApiClientError } from "@/lib/client/api";
import { useRegisterAgent } from "@/lib/client/hooks";
import { SecretOnce } from "./copy-button";

export function splitList(s: string): string[] {
  return s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
}

export function RegisterAgent({ onRegistered }: { onRegistered: (id: string) => void }) {
  const register = useRegisterAgent();
  const [key, setKey] = useState<string | null>(null);
  const fields = register.error instanceof ApiClientError ? register.error.fields : {};
  return (
    <Card>
      <SectionTitle>Register an agent</SectionTitle>
      {key ? (
        <SecretOnce secret={key} onDone={() => setKey(null)} />
      ) : (
        <form
          className="space-y-3"
          onSubmit={(e) => {
            e.preventDefault();
            const f = new FormData(e.currentTarget);
            const form = e.currentTarget;
            register.mutate(
              {
                name: String(f.get("name") ?? ""),
                description: String(f.get("description") ?? ""),
                category: String(f.get("category") ?? "") || "general",
                capabilities: splitList(String(f.get("capabilities") ?? "")),
              },
              {
                onSuccess: (agent) => {
                  setKey(agent.api_key);
                  onRegistered(agent.id);
                  form.reset();
                },
              },
            );
          }}
        >
          <Field label="Name" htmlFor="agent-name" error={fields.name}>
            <Input id="agent-name" name="name" required maxLength={100} />
          </Field>
          <Field label="Category" htmlFor="agent-category" error={fields.category}>
            <Input id="agent-category" name="category" placeholder="general" />
          </Field>
          <Field label="Capabilities" htmlFor="agent-capabilities" hint="Comma separated" error={fields.capabilities}>
            <Input id="agent-capabilities" name="capabilities" placeholder="coding, testing" />
          </Field>
          <Field label="Description" htmlFor="agent-description" error={fields.description}>
            <Textarea id="agent-description" name="description" rows={3} />
          </Field>
          {register.isError ? (
            <p role="alert" className="text-sm text-bad">
              {register.error.message}
            </p>
          ) : null}
          <Button type="submit" disabled={register.isPending}>
            {register.isPending ? "Registering…" : "Register agent"}
          </Button>
        </form>
      )}
    </Card>
  );
}
