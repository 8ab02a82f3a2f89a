import type { ReactNode } from "react";
import type { OpenApiDoc } from "./model";
import { Sidebar } from "./sidebar";

/** The docs layout: contents and search at the side (folded on a phone), one area or the introduction beside it. */
export function DocsShell({
  doc,
  current,
  children,
}: {
  doc: OpenApiDoc;
  current: string | null;
  children?: ReactNode;
}) {
  return (
    <div className="grid gap-6 *:min-w-0 lg:grid-cols-[15rem_1fr]">
      <Sidebar doc={doc} current={current} />
      <div className="space-y-8">{children}</div>
    </div>
  );
}
