"use client";

import { useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { Field, FormError, Input } from "@/components/ui/field";
import { useDeploymentAction } from "@/lib/client/deploy-hooks";
import { DEPLOY_ACTION_RULES } from "@/lib/client/form-rules";
import { useFormErrors } from "@/lib/client/use-form-errors";
import type { Deployment, DeploymentAction } from "@/lib/client/types";
import { allowedActions } from "./allowed-actions";

interface ActionInfo {
  label: string;
  confirm: string;
  explain: (d: Deployment) => string;
  variant: "primary" | "secondary" | "danger";
}

const ACTIONS: Record<DeploymentAction, ActionInfo> = {
  promote: {
    label: "Promote",
    confirm: "Promote now",
    variant: "primary",
    explain: (d) => `End the canary now and send all calls to ${d.version}, without waiting for the trial to finish.`,
  },
  rollback: {
    label: "Roll back",
    confirm: "Roll back",
    variant: "danger",
    explain: (d) =>
      d.previous_version
        ? `Send all calls back to ${d.previous_version} at once. ${d.version} stops serving.`
        : `Stop this deployment; there is no earlier version to return to.`,
  },
  abort: {
    label: "Abort",
    confirm: "Abort",
    variant: "danger",
    explain: (d) =>
      `Stop rolling out ${d.version}${d.previous_version ? ` and keep ${d.previous_version} serving every call` : ""}.`,
  },
};

/** Rollback, promote and abort, each behind a confirmation that says what will happen. */
export function DeploymentActions({ deployment }: { deployment: Deployment }) {
  const action = useDeploymentAction(deployment.agent_id, deployment.deployment_id);
  const dialog = useRef<HTMLDialogElement>(null);
  const [open, setOpen] = useState<DeploymentAction | null>(null);
  const allowed = allowedActions(deployment);
  const info = open ? ACTIONS[open] : null;
  const errors = useFormErrors(DEPLOY_ACTION_RULES);

  const ask = (a: DeploymentAction) => {
    action.reset();
    errors.clear();
    setOpen(a);
    dialog.current?.showModal();
  };
  const close = () => {
    dialog.current?.close();
    setOpen(null);
  };

  return (
    <>
      <div className="flex flex-wrap gap-2">
        {(Object.keys(ACTIONS) as DeploymentAction[]).map((a) => (
          <Button
            key={a}
            variant={ACTIONS[a].variant === "primary" ? "primary" : "secondary"}
            disabled={!allowed[a]}
            onClick={() => ask(a)}
          >
            {ACTIONS[a].label}
          </Button>
        ))}
      </div>
      <dialog
        ref={dialog}
        aria-labelledby="action-title"
        onClose={() => setOpen(null)}
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-line bg-card p-5 text-fg shadow-lg backdrop:bg-black/40"
      >
        {open && info ? (
          <form
            className="space-y-4"
            noValidate
            onChange={errors.onChange}
            // Not errors.formProps: its callback would be made during render, and `close` reads the dialog's ref.
            onSubmit={(e) => {
              e.preventDefault();
              if (!errors.check(e.currentTarget)) return;
              const reason = String(new FormData(e.currentTarget).get("reason") ?? "").trim();
              action.mutate({ action: open, reason: reason || undefined }, { onSuccess: close, onError: errors.fail });
            }}
          >
            <h2 id="action-title" className="text-lg font-semibold">
              {info.label} {deployment.version}?
            </h2>
            <p className="text-sm text-muted">{info.explain(deployment)}</p>
            <Field
              label="Reason (optional)"
              hint="Kept in the deployment's log."
              htmlFor="action_reason"
              error={errors.fields.reason}
              max={DEPLOY_ACTION_RULES.reason.max}
            >
              <Input id="action_reason" name="reason" />
            </Field>
            <FormError message={errors.form} />
            <div className="flex justify-end gap-2">
              <Button variant="ghost" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" variant={info.variant} disabled={action.isPending}>
                {action.isPending ? "Working…" : info.confirm}
              </Button>
            </div>
          </form>
        ) : null}
      </dialog>
    </>
  );
}
