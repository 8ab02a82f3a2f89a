import Link from "next/link";
import type { ReactNode } from "react";
import { buttonClass, type Variant } from "./button-class";

/** A link that looks like a button; a server component, so it adds no client JavaScript. */
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
    <Link href={href} className={buttonClass(variant, className)}>
      {children}
    </Link>
  );
}
