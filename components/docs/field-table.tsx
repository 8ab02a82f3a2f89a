import { Table } from "@/components/ui/table";
import { RichText } from "./rich-text";
import type { FieldRow } from "./schema-rows";

/** A schema as a table of fields; nested fields are indented under their parent. */
export function FieldTable({ rows, empty = "No fields." }: { rows: FieldRow[]; empty?: string }) {
  if (rows.length === 0) return <p className="text-sm text-muted">{empty}</p>;
  return (
    <Table columns={["Field", "Type", "Description"]}>
      {rows.map((r) => (
        <tr key={r.name} className="align-top">
          <td className="whitespace-nowrap px-3 py-2 font-mono text-xs" style={{ paddingLeft: `${0.75 + r.depth}rem` }}>
            {r.name}
            {r.required ? (
              <span className="ml-1 text-bad" title="required">
                *
              </span>
            ) : null}
          </td>
          <td className="px-3 py-2 font-mono text-xs text-accent">{r.type}</td>
          <td className="px-3 py-2 text-fg">
            <RichText text={r.description} />
          </td>
        </tr>
      ))}
    </Table>
  );
}
