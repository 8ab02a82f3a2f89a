"use client";

import { useSyncExternalStore, type ButtonHTMLAttributes } from "react";
import { buttonClass, type Variant } from "./button-class";

export { buttonClass };

const noop = () => () => {};

/** False during server rendering and hydration, true once React owns the page. */
export function useHydrated(): boolean {
  return useSyncExternalStore(
    noop,
    () => true,
    () => false,
  );
}

export function Button({
  variant = "primary",
  className = "",
  type = "button",
  disabled,
  ...props
}: ButtonHTMLAttributes<HTMLButtonElement> & { variant?: Variant }) {
  // A submit before hydration would post the form natively (a GET with its fields in the URL): wait for React.
  const hydrated = useHydrated();
  return (
    <button
      type={type}
      className={buttonClass(variant, className)}
      disabled={disabled || (type === "submit" && !hydrated)}
      {...props}
    />
  );
}
