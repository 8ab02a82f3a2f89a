/**
 * What an output is, so that it can be shown as what it is: a JSON value as a tree, CSV as a table, Markdown (or
 * HTML, which goes through the same sanitising pipeline) rendered, anything else as plain text. An explicit
 * content type wins; otherwise the text is looked at.
 */
export type Detected =
  | { kind: "json"; value: unknown }
  | { kind: "csv"; rows: string[][] }
  | { kind: "markdown"; text: string }
  | { kind: "text"; text: string };

const MARKDOWN_HINTS = [
  /^#{1,6}\s+\S/m, // heading
  /^\s*[-*+]\s+\S/m, // bullet
  /^\s*\d+[.)]\s+\S/m, // numbered item
  /^```/m, // fence
  /^>\s/m, // quote
  /\*\*[^*\n]+\*\*/, // bold
  /`[^`\n]+`/, // inline code
  /\[[^\]\n]+\]\([^)\s]+\)/, // link
  /^\|.*\|\s*$/m, // table row
  /<\/?[a-z][a-z0-9]*(\s[^>]*)?>/i, // an HTML tag
];

function parseJson(text: string): { ok: true; value: unknown } | { ok: false } {
  const t = text.trim();
  if (!/^[[{]/.test(t)) return { ok: false };
  try {
    return { ok: true, value: JSON.parse(t) as unknown };
  } catch {
    return { ok: false };
  }
}

/** RFC 4180 CSV: quoted fields may hold commas, quotes ("") and line breaks. */
export function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  const src = text.replace(/\r\n?/g, "\n").replace(/\n+$/, "");
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"' && field === "") quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else field += c;
  }
  row.push(field);
  rows.push(row);
  return rows;
}

/** At least a header and one row, every row as wide as the header, and at least two columns. */
function looksLikeCsv(text: string): string[][] | null {
  if (!text.includes(",") || !text.trim().includes("\n")) return null;
  const rows = parseCsv(text.trim());
  const width = rows[0]?.length ?? 0;
  if (rows.length < 2 || width < 2 || rows.some((r) => r.length !== width)) return null;
  return rows;
}

export function detectOutput(value: unknown, contentType?: string): Detected {
  if (typeof value !== "string") return { kind: "json", value: value ?? null };
  const type = (contentType ?? "").toLowerCase();
  if (type.includes("json")) {
    const parsed = parseJson(value);
    return parsed.ok ? { kind: "json", value: parsed.value } : { kind: "text", text: value };
  }
  if (type.includes("csv")) return { kind: "csv", rows: parseCsv(value) };
  if (type.includes("markdown") || type.includes("html")) return { kind: "markdown", text: value };
  if (type.startsWith("text/plain")) return { kind: "text", text: value };
  const parsed = parseJson(value);
  if (parsed.ok) return { kind: "json", value: parsed.value };
  if (MARKDOWN_HINTS.some((re) => re.test(value))) return { kind: "markdown", text: value };
  const csv = looksLikeCsv(value);
  if (csv) return { kind: "csv", rows: csv };
  return { kind: "text", text: value };
}
