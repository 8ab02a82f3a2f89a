import { CsvTable } from "./csv-table";
import { detectOutput } from "./detect";
import { JsonTree } from "./json-tree";
import { Markdown } from "./markdown";
import "./output.css";

/**
 * Any output shown as what it is: a JSON value (or JSON text) as a collapsible tree, CSV as a table, Markdown or
 * HTML rendered safely with highlighted code, plain text otherwise. `contentType` (a MIME type) wins over
 * guessing. Works in server and client components; carries its own code (keep it off pages that do not show
 * outputs, so their first-load JavaScript does not grow).
 */
export function OutputView({ value, contentType }: { value: unknown; contentType?: string }) {
  const d = detectOutput(value, contentType);
  switch (d.kind) {
    case "json":
      return <JsonTree value={d.value} />;
    case "csv":
      return <CsvTable rows={d.rows} />;
    case "markdown":
      return <Markdown text={d.text} />;
    default:
      return (
        <div className="whitespace-pre-wrap break-words" data-output="text">
          {d.text}
        </div>
      );
  }
}
