import type { ReactNode } from "react";

/**
 * Rows under a head of column names, in a bordered frame that scrolls sideways on a narrow screen: the one look of
 * the app's plain tables (the docs' field and error tables, an agent's versions). `children` are the body's rows.
 */
export function Table({
  columns,
  caption,
  children,
}: {
  columns: readonly string[];
  /** Said to screen readers only. */
  caption?: string;
  children: ReactNode;
}) {
  return (
    <div className="overflow-x-auto rounded-md border border-line">
      <table className="w-full text-left text-sm">
        {caption ? <caption className="sr-only">{caption}</caption> : null}
        <thead className="bg-subtle text-xs text-muted">
          <tr>
            {columns.map((c) => (
              <th key={c} scope="col" className="px-3 py-2 font-medium">
                {c}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-line">{children}</tbody>
      </table>
    </div>
  );
}
