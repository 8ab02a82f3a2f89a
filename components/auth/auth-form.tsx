"use client";

import Link from "next/link";
import { useState } from "react";
import { Button } from "@/components/ui/button";
import { FormError, InputField } from "@/components/ui/field";
import { PasswordField } from "./password-field";
import { safeCallbackUrl } from "@/lib/auth/redirect";
import { api } from "@/lib/client/api";
import { signInWithPassword } from "@/lib/client/auth";
import { SIGNIN_RULES, SIGNUP_RULES } from "@/lib/client/form-rules";
import { useFormErrors } from "@/lib/client/use-form-errors";

/** Sign-in and sign-up share one form; sign-up creates the account, then signs in the same way. */
export function AuthForm({
  mode,
  callbackUrl,
  github,
}: {
  mode: "signin" | "signup";
  callbackUrl?: string;
  github: boolean;
}) {
  const [busy, setBusy] = useState(false);
  const errors = useFormErrors(mode === "signup" ? SIGNUP_RULES : SIGNIN_RULES);
  const next = safeCallbackUrl(callbackUrl);

  async function onValid(form: FormData) {
    const email = String(form.get("email") ?? "").trim();
    const password = String(form.get("password") ?? "");
    setBusy(true);
    try {
      if (mode === "signup") {
        await api("/api/auth/signup", { body: { email, password, name: String(form.get("name") ?? "") } });
      }
      const result = await signInWithPassword(email, password);
      if (!result.ok) {
        // Sign-up answers the same for a new and a registered address; only the password tells them apart.
        errors.setForm(
          mode === "signup" && !result.retryAfter
            ? "Could not sign in with this email and password. If the address already has an account, sign in with its own password."
            : result.error,
        );
        setBusy(false);
        return;
      }
      // A full navigation so that the server-rendered header picks up the new session.
      window.location.assign(next);
    } catch (err) {
      errors.fail(err);
      setBusy(false);
    }
  }

  const other = mode === "signin" ? "/signup" : "/signin";
  const otherHref = next !== "/" ? `${other}?callbackUrl=${encodeURIComponent(next)}` : other;
  return (
    <div className="mx-auto max-w-sm">
      <h1 className="text-2xl font-semibold tracking-tight">{mode === "signin" ? "Sign in" : "Create your account"}</h1>
      <p className="mt-1 text-sm text-muted">
        {mode === "signin" ? "New here? " : "Already have an account? "}
        <Link href={otherHref} className="text-accent underline">
          {mode === "signin" ? "Create an account" : "Sign in"}
        </Link>
      </p>
      <form
        method="post"
        {...errors.formProps(onValid)}
        className="mt-6 space-y-4 rounded-xl border border-line bg-card p-5 shadow-sm"
      >
        {mode === "signup" ? (
          <InputField label="Name" id="name" name="name" autoComplete="name" error={errors.fields.name} />
        ) : null}
        <InputField
          label="Email"
          id="email"
          name="email"
          type="email"
          autoComplete="email"
          error={errors.fields.email}
        />
        <PasswordField
          id="password"
          label="Password"
          autoComplete={mode === "signup" ? "new-password" : "current-password"}
          error={errors.fields.password}
          hint={
            mode === "signup"
              ? "At least 10 characters and hard to guess: a phrase of uncommon words works well."
              : undefined
          }
        />
        <FormError message={errors.form} />
        <Button type="submit" disabled={busy} className="w-full">
          {busy ? "Please wait…" : mode === "signin" ? "Sign in" : "Sign up"}
        </Button>
        {github ? (
          <a
            href={`/api/auth/signin/github?callbackUrl=${encodeURIComponent(next)}`}
            className="block rounded-md border border-line px-3 py-2 text-center text-sm font-medium hover:bg-subtle"
          >
            Continue with GitHub
          </a>
        ) : null}
      </form>
    </div>
  );
}
