"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Field, Input } from "@/components/ui/field";
import { api } from "@/lib/client/api";
import { ACCOUNT_NAME_RULES } from "@/lib/client/form-rules";
import { useFormErrors } from "@/lib/client/use-form-errors";
import { SaveRow } from "./save-row";

/** The person's own name (PATCH /api/me); the header and pages read it again once it is saved. */
export function AccountName({ name }: { name: string }) {
  const router = useRouter();
  const errors = useFormErrors(ACCOUNT_NAME_RULES);
  const [busy, setBusy] = useState(false);
  const [saved, setSaved] = useState(false);
  return (
    <form
      aria-label="Your name"
      className="space-y-3"
      {...errors.formProps(async (f) => {
        const value = String(f.get("name") ?? "").trim();
        setBusy(true);
        try {
          await api("/api/me", { method: "PATCH", body: { name: value } });
          setSaved(true);
          router.refresh();
        } catch (err) {
          errors.fail(err);
        } finally {
          setBusy(false);
        }
      })}
      onInput={() => setSaved(false)}
    >
      <Field
        label="Name"
        htmlFor="account-name"
        error={errors.fields.name}
        max={ACCOUNT_NAME_RULES.name.max}
        hint="Shown to the people you work with"
      >
        <Input id="account-name" name="name" defaultValue={name} autoComplete="name" className="sm:max-w-80" />
      </Field>
      <SaveRow label="Save name" pending={busy} saved={saved} error={errors.form} />
    </form>
  );
}
