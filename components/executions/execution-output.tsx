import { OutputView } from "@/components/ui/output/output-view";

/**
 * An execution's output shown as what it is (components/ui/output: JSON as a tree, CSV as a table, Markdown
 * rendered safely, text as text). The json-csv demo agent's `{ format: "csv", csv }` is shown as its table.
 * `type` (a service's output_type) decides when it is known.
 */
export function ExecutionOutput({ output, type }: { output: unknown; type?: string }) {
  if (output === null || output === undefined) return <p className="text-sm text-muted">No output.</p>;
  const o = output as { format?: unknown; csv?: unknown };
  const csv = o && typeof o === "object" && o.format === "csv" && typeof o.csv === "string" ? o.csv : null;
  return (
    <div data-testid="output" className="max-h-[32rem] overflow-auto rounded-lg bg-subtle p-3 text-sm">
      {csv !== null ? (
        <OutputView value={csv} contentType="text/csv" />
      ) : (
        <OutputView value={output} contentType={contentTypeOf(type)} />
      )}
    </div>
  );
}

function contentTypeOf(type: string | undefined): string | undefined {
  if (!type) return undefined;
  if (type.includes("/")) return type;
  return { json: "application/json", csv: "text/csv", markdown: "text/markdown", text: "text/plain" }[type];
}
