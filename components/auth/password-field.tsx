import type { ReactNode } from "react";
import { InputField } from "@/components/ui/field";

/** A password input in a Field, named as its id; `autoComplete` tells password managers which one it is. */
export function PasswordField({
  id,
  ...props
}: {
  id: string;
  label: string;
  autoComplete: "current-password" | "new-password";
  error?: string | null;
  hint?: ReactNode;
}) {
  return <InputField id={id} name={id} type="password" {...props} />;
}
