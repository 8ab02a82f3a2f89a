import { ApiClientError } from "./api";

/*
 * One validation style for every form. A form describes its fields once (a label, a kind and the limits of its
 * contract, ./form-rules.ts); the browser checks them before sending, and when the API still refuses, its precise
 * zod messages ("price_usd: Too big: expected number to be <=1000000", kept as they are for agents) are said again
 * in plain words next to the field they belong to ("Price must be between $0.01 and $1,000,000").
 */

export type FieldKind = "text" | "password" | "email" | "number" | "integer" | "money" | "list";

export interface FieldRule {
  /** As the field's label says it. */
  label: string;
  kind?: FieldKind;
  required?: boolean;
  /** Characters (text, password), value (number, integer, money) or items (list). */
  min?: number;
  max?: number;
  /** list: the most characters of each item. */
  itemMax?: number;
  pattern?: RegExp;
  /** What the pattern asks for, in plain words ("Use letters, digits and _"). */
  patternHint?: string;
  /** Other API field paths whose errors belong to this field (default: the rule's own name and paths under it). */
  paths?: readonly string[];
}

export type Rules = Record<string, FieldRule>;

export interface FormErrors {
  fields: Record<string, string>;
  /** What no field can show: a refusal of the whole form, or no answer at all. */
  form: string | null;
}

const NUMERIC: readonly FieldKind[] = ["number", "integer", "money"];

function capitalise(s: string): string {
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function show(rule: FieldRule, n: number): string {
  if (rule.kind !== "money") return n.toLocaleString("en-US");
  return n.toLocaleString("en-US", {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: Number.isInteger(n) ? 0 : 2,
  });
}

function unit(rule: FieldRule, n: number): string {
  const kind = rule.kind ?? "text";
  if (kind === "text" || kind === "password" || kind === "email") return n === 1 ? " character" : " characters";
  if (kind === "list") return n === 1 ? " item" : " items";
  return "";
}

/** The message of a value outside the rule's limits: both bounds when the rule has both ("between"). */
function outOfRange(rule: FieldRule, side: "min" | "max", bound: number): string {
  const { label } = rule;
  const numeric = NUMERIC.includes(rule.kind ?? "text");
  if (numeric && rule.min !== undefined && rule.max !== undefined)
    return `${label} must be between ${show(rule, rule.min)} and ${show(rule, rule.max)}`;
  if (side === "min" && bound <= 1 && !numeric) return `${label} is required`;
  const verb = rule.kind === "list" ? "must have" : "must be";
  return `${label} ${verb} ${side === "min" ? "at least" : "at most"} ${show(rule, bound)}${unit(rule, bound)}`;
}

/** Checks one field's value as the form holds it; null when it passes. */
export function checkValue(rule: FieldRule, raw: string): string | null {
  const value = raw.trim();
  const kind = rule.kind ?? "text";
  if (!value) return rule.required ? `${rule.label} is required` : null;
  if (NUMERIC.includes(kind)) {
    const n = Number(kind === "money" ? value.replace(/^\$/, "").replaceAll(",", "") : value);
    if (!Number.isFinite(n)) return "Enter a number";
    if (kind === "integer" && !Number.isInteger(n)) return "Enter a whole number";
    if (kind === "money" && Math.abs(Math.round(n * 100) - n * 100) > 1e-6)
      return `${rule.label} must be in whole cents (at most 2 decimals)`;
    if (rule.min !== undefined && n < rule.min) return outOfRange(rule, "min", rule.min);
    if (rule.max !== undefined && n > rule.max) return outOfRange(rule, "max", rule.max);
    return null;
  }
  if (kind === "list" && rule.itemMax !== undefined && splitList(value).some((x) => x.length > rule.itemMax!))
    return itemMessage(rule);
  const size = kind === "list" ? splitList(value).length : (kind === "password" ? raw : value).length;
  if (rule.min !== undefined && size < rule.min) return outOfRange(rule, "min", rule.min);
  if (rule.max !== undefined && size > rule.max) return outOfRange(rule, "max", rule.max);
  if (kind === "email" && !/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(value))
    return "Enter an email address, like name@example.com";
  if (rule.pattern && !rule.pattern.test(value)) return rule.patternHint ?? `${rule.label} is not in the right form`;
  return null;
}

/** Comma-separated tags, as the profile and service forms take them. */
export function splitList(s: string): string[] {
  return s
    .split(",")
    .map((x) => x.trim())
    .filter(Boolean);
}

/** A list's items are checked one by one; their messages talk about each entry. */
function itemMessage(rule: FieldRule): string {
  return `Each entry of ${rule.label.toLowerCase()} must be at most ${rule.itemMax} characters`;
}

const BOUND = /^Too (big|small): expected \w+ to (?:be|have) ([<>]=?)(-?[\d.]+)/;

/** An API field message (zod's, or one of our own refinements) in plain words for the field `rule` describes. */
export function plainMessage(rule: FieldRule, message: string): string {
  const bound = BOUND.exec(message);
  if (bound) {
    const side = bound[1] === "big" ? "max" : "min";
    const n = Number(bound[3]);
    return outOfRange(rule, side, rule[side] ?? n);
  }
  if (/^Invalid input: expected (number|int)/.test(message)) return "Enter a number";
  if (/received undefined$/.test(message)) return `${rule.label} is required`;
  if (/^Invalid email/.test(message)) return "Enter an email address, like name@example.com";
  if (/^Invalid (string|input)/.test(message)) return rule.patternHint ?? `${rule.label} is not in the right form`;
  // Our own refinements read as the end of a sentence about the field: "must have at most 2 decimals".
  if (/^(must|is|are|has|contains|should|cannot|may)\b/.test(message)) return `${rule.label} ${message}`;
  return capitalise(message);
}

/** The rule an API field path belongs to: its own name, a path under it (`capabilities.3`) or one of its `paths`. */
function ruleFor(rules: Rules, path: string): string | undefined {
  return Object.keys(rules).find((name) => {
    const under = [name, ...(rules[name]?.paths ?? [])];
    return under.some((p) => path === p || path.startsWith(`${p}.`));
  });
}

/** An error of a request as the fields of a form (plain words, next to each field) and what is left for the form. */
export function formErrors(err: unknown, rules: Rules): FormErrors {
  if (!(err instanceof ApiClientError)) return { fields: {}, form: "Could not reach the server. Try again." };
  const fields: Record<string, string> = {};
  let unplaced = false;
  for (const [path, message] of Object.entries(err.fields)) {
    const name = ruleFor(rules, path);
    const rule = name ? rules[name] : undefined;
    if (!name || !rule) unplaced = true;
    else if (rule.kind === "list" && rule.itemMax !== undefined && path.startsWith(`${name}.`))
      fields[name] ??= itemMessage(rule);
    else fields[name] ??= plainMessage(rule, message);
  }
  // Each message is shown once: next to its field, and above the button only what no field shows.
  return { fields, form: unplaced || Object.keys(fields).length === 0 ? err.message : null };
}

/** Checks every field of `values` that has a rule (fields the form does not hold are skipped); the messages of those that fail. */
export function checkValues(rules: Rules, values: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, rule] of Object.entries(rules)) {
    const value = values[name];
    if (value === undefined) continue;
    const message = checkValue(rule, value);
    if (message) out[name] = message;
  }
  return out;
}
