import type { Metadata } from "next";
import { DocsShell } from "@/components/docs/docs-shell";
import type { OpenApiDoc } from "@/components/docs/model";
import { Overview } from "@/components/docs/overview";
import { openApiDocument } from "@/lib/api/openapi";

export const metadata: Metadata = {
  title: "API reference",
  description: "Every endpoint of the Agent Market API, generated from the same schemas that validate requests.",
};

// Rendered on the server from the OpenAPI document: no CDN, works offline; only the search box is a script.
export default function DocsPage() {
  const doc = openApiDocument() as unknown as OpenApiDoc;
  return (
    <DocsShell doc={doc} current={null}>
      <Overview doc={doc} />
    </DocsShell>
  );
}
