import type { InputHTMLAttributes, ReactNode } from "react";

/*
 * The look of every input, and the inputs of compact filter bars. Apart from field.tsx (which re-exports them) so
 * that a server-rendered filter form (browse) does not pull field.tsx's client character counter into its page.
 */

export const inputClass =
  "w-full rounded-md border border-line bg-card px-3 py-2 text-sm text-fg placeholder:text-muted/70 focus-visible:border-accent aria-invalid:border-bad";

/** An input of a compact filter bar: its label is for screen readers only. */
export function QuietInput({ label, ...props }: InputHTMLAttributes<HTMLInputElement> & { id: string; label: string }) {
  return (
    <>
      <QuietLabel htmlFor={props.id}>{label}</QuietLabel>
      <input {...props} className={inputClass} />
    </>
  );
}

/** A label for screen readers only, where the field's look says what it is for. */
export function QuietLabel({ htmlFor, children }: { htmlFor: string; children: ReactNode }) {
  return (
    <label htmlFor={htmlFor} className="sr-only">
      {children}
    </label>
  );
}
