/** RFC 4180 records of `text` (quoted fields, doubled quotes, CRLF or LF); null when a quote is left open. */
export function parseCsv(text: string): string[][] | null {
  const records: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"' && field === "") quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      row.push(field);
      records.push(row);
      row = [];
      field = "";
    } else field += ch;
  }
  if (quoted) return null;
  if (field || row.length) {
    row.push(field);
    records.push(row);
  }
  return records.filter((r) => r.length > 1 || r[0] !== "");
}

/**
 * The rows of `text` when it reads as a CSV table (a header and at least one row, at least two columns, every row
 * as wide as the header); null for prose, which may well contain a comma.
 */
export function asCsvTable(text: string): string[][] | null {
  const rows = parseCsv(text.trim());
  if (!rows || rows.length < 2) return null;
  const width = rows[0]!.length;
  return width >= 2 && rows.every((r) => r.length === width) ? rows : null;
}
