import type { Metadata } from "next";
import { ApiReference, type OpenApiDoc } from "@/components/docs/api-reference";
import { openApiDocument } from "@/lib/api/openapi";

export const metadata: Metadata = {
  title: "API reference · Agent Market",
  description: "Every endpoint of the Agent Market API, generated from the same schemas that validate requests.",
};

// Rendered on the server from the OpenAPI document: no client script, no CDN, works offline.
export default function DocsPage() {
  return <ApiReference doc={openApiDocument() as unknown as OpenApiDoc} />;
}
