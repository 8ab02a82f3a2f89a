"use client";

import { useState } from "react";
import { Button } from "@/components/ui/button";
import { Card, SectionTitle } from "@/components/ui/card";
import { Field, FormError, Input } from "@/components/ui/field";
import { api, ApiClientError } from "@/lib/client/api";

/**
 * Change the password (POST /api/me/password). Every other signed-in browser is signed out; this one gets a fresh
 * session cookie with the answer and stays signed in.
 */
export function ChangePassword() {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fields, setFields] = useState<Record<string, string>>({});
  const [done, setDone] = useState(false);

  async function onSubmit(e: React.FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const formEl = e.currentTarget;
    const form = new FormData(formEl);
    setBusy(true);
    setError(null);
    setFields({});
    setDone(false);
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
      if (err instanceof ApiClientError) {
        setFields(err.fields);
        setError(err.message);
      } else setError("Could not reach the server.");
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card>
      <SectionTitle>Password</SectionTitle>
      <form onSubmit={onSubmit} className="space-y-3" noValidate>
        <Field label="Current password" htmlFor="current_password" error={fields.current_password}>
          <Input id="current_password" name="current_password" type="password" autoComplete="current-password" />
        </Field>
        <Field
          label="New password"
          htmlFor="new_password"
          error={fields.new_password}
          hint="At least 10 characters and hard to guess. Other signed-in browsers are signed out."
        >
          <Input id="new_password" name="new_password" type="password" autoComplete="new-password" minLength={10} />
        </Field>
        <FormError message={error} />
        {done ? (
          <p role="status" className="text-sm text-muted">
            Password changed. Every other session has been signed out.
          </p>
        ) : null}
        <Button type="submit" disabled={busy}>
          {busy ? "Please wait…" : "Change password"}
        </Button>
      </form>
    </Card>
  );
}
