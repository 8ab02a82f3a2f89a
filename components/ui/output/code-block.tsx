import hljs from "highlight.js/lib/core";
import bash from "highlight.js/lib/languages/bash";
import css from "highlight.js/lib/languages/css";
import go from "highlight.js/lib/languages/go";
import javascript from "highlight.js/lib/languages/javascript";
import json from "highlight.js/lib/languages/json";
import python from "highlight.js/lib/languages/python";
import rust from "highlight.js/lib/languages/rust";
import sql from "highlight.js/lib/languages/sql";
import typescript from "highlight.js/lib/languages/typescript";
import xml from "highlight.js/lib/languages/xml";
import yaml from "highlight.js/lib/languages/yaml";
import "./output.css";

// Inside a code block a guess costs little: a language is taken from a modest relevance on.
// The core and a dozen common languages (about a tenth of the full build); anything else shows as plain code.
const LANGUAGES = { bash, css, go, javascript, json, python, rust, sql, typescript, xml, yaml };
for (const [name, lang] of Object.entries(LANGUAGES)) {
  if (!hljs.getLanguage(name)) hljs.registerLanguage(name, lang);
}
const ALIASES: Record<string, string> = {
  sh: "bash",
  shell: "bash",
  js: "javascript",
  ts: "typescript",
  py: "python",
  html: "xml",
  yml: "yaml",
  tsx: "typescript",
  jsx: "javascript",
};

/** The highlighted HTML of some code (highlight.js escapes the code; its output holds only spans with classes). */
export function highlight(code: string, language?: string): { html: string; language: string | null } {
  const name = language ? (ALIASES[language] ?? language) : undefined;
  if (name && hljs.getLanguage(name)) {
    return { html: hljs.highlight(code, { language: name, ignoreIllegals: true }).value, language: name };
  }
  if (!name && code.length < 20_000) {
    const auto = hljs.highlightAuto(code, Object.keys(LANGUAGES));
    if (auto.language && auto.relevance >= 3) return { html: auto.value, language: auto.language };
  }
  return { html: escapeHtml(code), language: null };
}

function escapeHtml(s: string): string {
  return s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
}

/** A block of code, highlighted when its language is known or clear. */
export function CodeBlock({ code, language }: { code: string; language?: string }) {
  const { html, language: shown } = highlight(code.replace(/\n$/, ""), language);
  return (
    <pre className="output-code" data-language={shown ?? undefined}>
      <code className="hljs" dangerouslySetInnerHTML={{ __html: html }} />
    </pre>
  );
}
