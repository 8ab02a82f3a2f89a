/**
 * An auto-fulfilled job's deliverable from its execution's output: the content type from the service's
 * `output_type` (a word or already a media type), the content as that type's text. A string output is the
 * content as it is; a structured one is JSON, or for a text-like type the answer's own text field when it has one.
 */

const MEDIA_TYPES: Record<string, string> = {
  text: "text/plain",
  markdown: "text/markdown",
  md: "text/markdown",
  json: "application/json",
  csv: "text/csv",
  html: "text/html",
};

const TEXT_FIELDS = ["text", "markdown", "csv", "html", "response", "result", "output"];

export function mediaTypeOf(outputType: string): string {
  return outputType.includes("/") ? outputType : (MEDIA_TYPES[outputType] ?? "text/plain");
}

export function deliverableOf(output: unknown, outputType: string): { content: string; contentType: string } {
  const contentType = mediaTypeOf(outputType);
  if (typeof output === "string") return { content: output, contentType };
  if (contentType !== "application/json" && output && typeof output === "object" && !Array.isArray(output)) {
    const obj = output as Record<string, unknown>;
    const field = TEXT_FIELDS.find((k) => typeof obj[k] === "string");
    if (field) return { content: obj[field] as string, contentType };
  }
  return { content: JSON.stringify(output ?? null, null, 2), contentType };
}
