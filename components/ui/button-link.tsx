import type { ReactNode } from "react";
import { buttonClass, type Variant } from "./button-class";

/**
 * A link that looks like a button: a plain <a> (no next/link, so it adds no client JavaScript); the header's
 * soft-nav.ts opens it in place.
 */
export function ButtonLink({
  href,
  variant = "primary",
  className = "",
  children,
}: {
  href: string;
  variant?: Variant;
  className?: string;
  children: ReactNode;
}) {
  return (
    <a href={href} className={buttonClass(variant, className)}>
      {children}
    </a>
  );
}
