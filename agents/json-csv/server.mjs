// JSON array <-> CSV (RFC 4180 quoting). input.json (an array of objects) -> CSV; input.csv (text) -> JSON.
import { badInput, runAgent } from "../lib/contract.mjs";

const cell = (v) => {
  const s = v === null || v === undefined ? "" : typeof v === "object" ? JSON.stringify(v) : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
};

export function toCsv(rows) {
  if (!Array.isArray(rows) || !rows.every((r) => r && typeof r === "object" && !Array.isArray(r))) {
    throw badInput("json must be an array of objects");
  }
  const columns = [...new Set(rows.flatMap((r) => Object.keys(r)))];
  return [columns.map(cell).join(","), ...rows.map((r) => columns.map((c) => cell(r[c])).join(","))].join("\n");
}

export function parseCsv(text) {
  const records = [];
  let row = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') ((field += '"'), i++);
      else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") (row.push(field), (field = ""));
    else if (ch === "\n" || ch === "\r") {
      if (ch === "\r" && text[i + 1] === "\n") i++;
      (row.push(field), records.push(row), (row = []), (field = ""));
    } else field += ch;
  }
  if (quoted) throw badInput("csv has an unterminated quoted field");
  if (field || row.length) (row.push(field), records.push(row));
  const [header, ...body] = records.filter((r) => r.length > 1 || r[0] !== "");
  if (!header) throw badInput("csv is empty");
  return body.map((r) => Object.fromEntries(header.map((h, i) => [h, r[i] ?? ""])));
}

await runAgent({
  name: "json-csv",
  handle({ prompt, input, turn }) {
    let source = input.json ?? input.csv;
    if (source === undefined && typeof prompt === "string") {
      try {
        source = JSON.parse(prompt);
      } catch {
        source = prompt;
      }
    }
    if (Array.isArray(source)) {
      const csv = toCsv(source);
      return { response: csv, data: { format: "csv", rows: source.length, csv, turn } };
    }
    if (typeof source === "string" && source.trim()) {
      const rows = parseCsv(source);
      return { response: JSON.stringify(rows), data: { format: "json", rows: rows.length, json: rows, turn } };
    }
    throw badInput("send input.json (an array of objects) or input.csv (text), or either one as the prompt");
  },
});
