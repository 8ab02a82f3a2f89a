"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { api } from "@/lib/client/api";
import { PASSWORD_RULES } from "@/lib/client/form-rules";
import { useFormErrors } from "@/lib/client/use-form-errors";

/**
 * Change the password (POST /api/me/password). Every other signed-in browser is signed out; this one gets a fresh
 * session cookie with the answer and stays signed in.
 */
export function ChangePassword() {
  const errors = useFormErrors(PASSWORD_RULES);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);

  async function onValid(form: FormData, formEl: HTMLFormElement) {
    setDone(false);
    setBusy(true);
    try {
      await api("/api/me/password", {
        method: "POST",
        body: {
          current_password: String(form.get("current_password") ?? ""),
          new_password: String(form.get("new_password") ?? ""),
        },
      });
      formEl.reset();
      setDone(true);
    } catch (err) {
      errors.fail(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <form aria-label="Password" className="space-y-3" {...errors.formProps(onValid)}>
      <Field label="Current password" htmlFor="current_password" error={errors.fields.current_password}>
        <Input id="current_password" name="current_password" type="password" autoComplete="current-password" />
      </Field>
      <Field
        label="New password"
        htmlFor="new_password"
        error={errors.fields.new_password}
        hint="At least 10 characters and hard to guess. Other signed-in browsers are signed out."
      >
        <Input id="new_password" name="new_password" type="password" autoComplete="new-password" />
      </Field>
      <FormError message={errors.form} />
      {done ? (
        <p role="status" className="text-sm text-muted">
          Password changed. Every other session has been signed out.
        </p>
      ) : null}
      <Button type="submit" disabled={busy}>
        {busy ? "Please wait…" : "Change password"}
      </Button>
    </form>
  );
}
