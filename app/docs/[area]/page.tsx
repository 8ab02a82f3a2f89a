import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { AreaReference } from "@/components/docs/api-reference";
import { DocsShell } from "@/components/docs/docs-shell";
import { areaTitle, groupByTag, type OpenApiDoc } from "@/components/docs/model";
import { openApiDocument } from "@/lib/api/openapi";

const doc = () => openApiDocument() as unknown as OpenApiDoc;

export function generateStaticParams() {
  return groupByTag(doc()).map(([area]) => ({ area }));
}

export async function generateMetadata({ params }: { params: Promise<{ area: string }> }): Promise<Metadata> {
  const { area } = await params;
  return { title: `${areaTitle(area)} · API reference` };
}

// One area of the API per page, each operation at its own anchor (/docs/jobs#postJobs).
export default async function DocsAreaPage({ params }: { params: Promise<{ area: string }> }) {
  const { area } = await params;
  const d = doc();
  const ops = groupByTag(d).find(([tag]) => tag === area)?.[1];
  if (!ops) notFound();
  return (
    <DocsShell doc={d} current={area}>
      <AreaReference doc={d} tag={area} ops={ops} />
    </DocsShell>
  );
}
