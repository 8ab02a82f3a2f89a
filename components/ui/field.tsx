import {
  cloneElement,
  isValidElement,
  type FormEvent,
  type InputHTMLAttributes,
  type KeyboardEvent,
  type ReactNode,
  type SelectHTMLAttributes,
  type TextareaHTMLAttributes,
} from "react";
import { CharCount } from "./form-count";
import { inputClass, QuietLabel } from "./quiet-input";

export { inputClass, QuietInput, QuietLabel } from "./quiet-input";

/**
 * A labelled field in the one validation style: its error in plain words under it (instead of its hint, so each
 * message is shown once), the input marked invalid and described by that message, and with `max` a character count
 * (`value` for a controlled input). Forms set noValidate: the browser's own pop-ups never mix with these messages.
 */
export function Field({
  label,
  hint,
  error,
  children,
  htmlFor,
  max,
  value,
}: {
  label: string;
  hint?: ReactNode;
  error?: string | null;
  htmlFor: string;
  children: ReactNode;
  max?: number;
  value?: string;
}) {
  const noteId = error ? `${htmlFor}-error` : hint ? `${htmlFor}-hint` : undefined;
  const input =
    isValidElement<{ "aria-invalid"?: boolean; "aria-describedby"?: string }>(children) && (error || noteId)
      ? cloneElement(children, {
          "aria-invalid": error ? true : children.props["aria-invalid"],
          "aria-describedby": [children.props["aria-describedby"], noteId].filter(Boolean).join(" ") || undefined,
        })
      : children;
  return (
    <div className="space-y-1">
      <label htmlFor={htmlFor} className="block text-sm font-medium">
        {label}
      </label>
      {input}
      {error || hint || max ? (
        <div className="flex items-start gap-2">
          {error ? (
            <p className="text-xs text-bad" id={`${htmlFor}-error`} data-field-error={htmlFor}>
              {error}
            </p>
          ) : hint ? (
            <p className="text-xs text-muted" id={`${htmlFor}-hint`}>
              {hint}
            </p>
          ) : null}
          {max ? <CharCount htmlFor={htmlFor} max={max} value={value} /> : null}
        </div>
      ) : null}
    </div>
  );
}

/** A Field holding one Input (the field's `id` is the input's): `max` is the character count, not the input's max. */
export function InputField({
  label,
  hint,
  error,
  max,
  ...input
}: Omit<InputHTMLAttributes<HTMLInputElement>, "max"> & {
  id: string;
  label: string;
  hint?: ReactNode;
  error?: string | null;
  max?: number;
}) {
  return (
    <Field label={label} htmlFor={input.id} hint={hint} error={error} max={max}>
      <Input {...input} />
    </Field>
  );
}

export function Input({ className = "", ...props }: InputHTMLAttributes<HTMLInputElement>) {
  return <input className={`${inputClass} ${className}`} {...props} />;
}

export function Textarea({ className = "", ...props }: TextareaHTMLAttributes<HTMLTextAreaElement>) {
  return <textarea className={`${inputClass} ${className}`} {...props} />;
}

export function Select({ className = "", ...props }: SelectHTMLAttributes<HTMLSelectElement>) {
  return <select className={`${inputClass} ${className}`} {...props} />;
}

/** A form's error above its submit button (nothing when there is none). */
export function FormError({ message }: { message?: string | null }) {
  return message ? (
    <p role="alert" className="rounded-md bg-bad/10 px-3 py-2 text-sm text-bad">
      {message}
    </p>
  ) : null;
}

/** An onSubmit that keeps the browser from posting and hands the form's fields to `submit`. */
export function onFormData(submit: (data: FormData) => void) {
  return (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    submit(new FormData(e.currentTarget));
  };
}

/**
 * The box a message is written in (chat, a job's messages): two rows, labelled for screen readers only. With
 * `submitOnEnter`, Enter sends its form and Shift+Enter starts a new line.
 */
export function MessageBox({
  value,
  onValueChange,
  submitOnEnter = false,
  ...props
}: Omit<TextareaHTMLAttributes<HTMLTextAreaElement>, "value" | "onChange"> & {
  id: string;
  value: string;
  onValueChange: (value: string) => void;
  submitOnEnter?: boolean;
}) {
  return (
    <>
      <QuietLabel htmlFor={props.id}>Message</QuietLabel>
      <Textarea
        rows={2}
        value={value}
        onChange={(e) => onValueChange(e.target.value)}
        onKeyDown={submitOnEnter ? sendOnEnter : undefined}
        {...props}
      />
    </>
  );
}

function sendOnEnter(e: KeyboardEvent<HTMLTextAreaElement>) {
  if (e.key === "Enter" && !e.shiftKey) {
    e.preventDefault();
    e.currentTarget.form?.requestSubmit();
  }
}
