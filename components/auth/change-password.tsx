"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError } from "@/components/ui/field";
import { PasswordField } from "./password-field";
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
      <PasswordField
        id="current_password"
        label="Current password"
        autoComplete="current-password"
        error={errors.fields.current_password}
      />
      <PasswordField
        id="new_password"
        label="New password"
        autoComplete="new-password"
        error={errors.fields.new_password}
        hint="At least 10 characters and hard to guess. Other signed-in browsers are signed out."
      />
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
