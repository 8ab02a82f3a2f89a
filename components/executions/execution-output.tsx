import { asCsvTable } from "./csv";

/**
 * A small renderer of an execution's output by its kind: text as text, CSV as a table, anything structured as
 * pretty-printed JSON (the json-csv agent's `{ format: "csv", csv }` as its table). `type` (a service's
 * output_type) forces the reading when it is known.
 */
export function ExecutionOutput({ output, type }: { output: unknown; type?: string }) {
  if (output === null || output === undefined) return <p className="text-sm text-muted">No output.</p>;
  const csv = csvOf(output, type);
  if (csv) return <CsvTable rows={csv} />;
  if (typeof output === "string" && type !== "json") {
    return (
      <pre data-testid="output" data-kind="text" className={`${box} whitespace-pre-wrap break-words font-sans`}>
        {output}
      </pre>
    );
  }
  return (
    <pre data-testid="output" data-kind="json" className={`${box} overflow-x-auto font-mono text-xs`}>
      {typeof output === "string" ? prettyJson(output) : JSON.stringify(output, null, 2)}
    </pre>
  );
}

const box = "max-h-[32rem] overflow-y-auto rounded-lg bg-subtle p-3 text-sm";

function prettyJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

function csvOf(output: unknown, type?: string): string[][] | null {
  if (type && type !== "csv" && type !== "text/csv") return null;
  if (typeof output === "string") return asCsvTable(output);
  const o = output as { format?: unknown; csv?: unknown };
  if (o && typeof o === "object" && o.format === "csv" && typeof o.csv === "string") return asCsvTable(o.csv);
  return null;
}

function CsvTable({ rows }: { rows: string[][] }) {
  const [header, ...body] = rows;
  return (
    <div data-testid="output" data-kind="csv" className="max-h-[32rem] overflow-auto rounded-lg border border-line">
      <table className="w-full text-left text-sm">
        <thead className="sticky top-0 bg-subtle text-xs text-muted">
          <tr>
            {header!.map((h, i) => (
              <th key={i} className="px-3 py-2 font-medium">
                {h}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {body.map((r, i) => (
            <tr key={i} className="border-t border-line">
              {r.map((c, j) => (
                <td key={j} className="px-3 py-1.5">
                  {c}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
