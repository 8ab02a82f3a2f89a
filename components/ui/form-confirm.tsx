"use client";

import { useRef, type ReactNode } from "react";
import { Button } from "./button";

/**
 * A button whose action is asked about first (revoking a key, deactivating a service): a modal <dialog> names what
 * will happen, and only its confirm button acts. Escape or Cancel closes it and nothing happens.
 */
export function ConfirmButton({
  children,
  title,
  body,
  confirmLabel,
  onConfirm,
  disabled,
  className,
}: {
  children: ReactNode;
  title: string;
  body: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  disabled?: boolean;
  className?: string;
}) {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <Button variant="danger" className={className} disabled={disabled} onClick={() => dialog.current?.showModal()}>
        {children}
      </Button>
      <dialog
        ref={dialog}
        aria-label={title}
        className="m-auto w-[min(28rem,calc(100vw-2rem))] rounded-xl border border-line bg-card p-5 text-fg shadow-lg backdrop:bg-black/40"
      >
        <h2 className="text-base font-semibold">{title}</h2>
        <div className="mt-2 text-sm text-muted">{body}</div>
        <form method="dialog" className="mt-4 flex justify-end gap-2">
          <Button variant="secondary" type="submit" autoFocus>
            Cancel
          </Button>
          <Button
            variant="danger"
            onClick={() => {
              dialog.current?.close();
              onConfirm();
            }}
          >
            {confirmLabel}
          </Button>
        </form>
      </dialog>
    </>
  );
}
