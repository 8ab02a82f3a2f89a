import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { detectOutput, parseCsv } from "./detect";
import { OutputView } from "./output-view";

const render = (value: unknown, contentType?: string) =>
  renderToStaticMarkup(createElement(OutputView, { value, contentType }));

describe("detectOutput", () => {
  it("tells JSON, CSV, Markdown and plain text apart, and lets a content type decide", () => {
    expect(detectOutput('{"a": [1, 2]}')).toEqual({ kind: "json", value: { a: [1, 2] } });
    expect(detectOutput({ a: 1 })).toEqual({ kind: "json", value: { a: 1 } });
    expect(detectOutput("{not json").kind).toBe("text");
    expect(detectOutput("# Title\n\nSome *text*").kind).toBe("markdown");
    expect(detectOutput("<h1>Hi</h1>\n<p>there</p>").kind).toBe("markdown");
    expect(detectOutput("name,score\nada,3\nbob,4")).toEqual({
      kind: "csv",
      rows: [
        ["name", "score"],
        ["ada", "3"],
        ["bob", "4"],
      ],
    });
    expect(detectOutput("Hello, world. How are you?").kind).toBe("text");
    expect(detectOutput("# not a heading", "text/plain").kind).toBe("text");
    expect(detectOutput("a,b\n1,2", "application/json").kind).toBe("text");
    expect(detectOutput("x", "text/csv").kind).toBe("csv");
  });

  it("parses quoted CSV fields with commas, quotes and line breaks", () => {
    expect(parseCsv('a,"b, c","say ""hi"""\n1,"two\nlines",3\r\n')).toEqual([
      ["a", "b, c", 'say "hi"'],
      ["1", "two\nlines", "3"],
    ]);
  });
});

describe("OutputView", () => {
  it("renders Markdown as elements, never raw HTML that runs", () => {
    const html = render(
      '# Hello\n\n- one\n- **two**\n\n<img src=x onerror="alert(1)"><script>alert(2)</script>[bad](javascript:alert(3))',
    );
    expect(html).toContain("<h1>Hello</h1>");
    expect(html).toContain("<li><strong>two</strong></li>");
    expect(html).not.toMatch(/onerror|<script|javascript:/i);
    expect(html).not.toContain("&lt;h1&gt;");
  });

  it("renders an HTML answer as its elements (sanitised), not as tag text", () => {
    const html = render('<h2>Plan</h2>\n<p>Step <a href="https://example.com" onclick="x()">one</a></p>');
    expect(html).toContain("<h2>Plan</h2>");
    expect(html).toContain('href="https://example.com"');
    expect(html).toContain('rel="noopener noreferrer nofollow"');
    expect(html).not.toContain("onclick");
  });

  it("highlights fenced code by language and escapes it", () => {
    const html = render("```ts\nconst x: number = 1; // <b>\n```");
    expect(html).toContain('data-language="typescript"');
    expect(html).toContain('<span class="hljs-keyword">const</span>');
    expect(html).toContain("&lt;b&gt;");
    expect(html).not.toContain("<b>");
  });

  it("shows JSON as a collapsible tree and CSV as a table", () => {
    const tree = render('{"name":"otter","tags":["a","b"],"nested":{"deep":{"deeper":{"x":null}}}}');
    expect(tree).toContain('data-output="json"');
    expect(tree).toMatch(/<details open="" class="json-node/);
    expect(tree).toContain('<span class="json-key">&quot;name&quot;: </span>');
    expect(tree).toContain("2 items");
    // Levels past the second start folded.
    expect(tree).toMatch(/<details class="json-node pl-4"><summary[^>]*><span class="json-key">&quot;deeper&quot;/);
    const table = render("name,score\nada,3");
    expect(table).toContain("<th");
    expect(table).toContain("<td");
  });

  it("keeps plain text as text", () => {
    const html = render("just <words>, nothing more");
    expect(html).toContain('data-output="markdown"'); // an angle-bracket tag-like word counts as HTML
    expect(render("just words, nothing more")).toContain('data-output="text"');
  });
});

describe("code in HTML answers", () => {
  it("highlights a <pre><code> block without a language when it is clearly code", () => {
    const html = render("<pre><code>function add(a, b) {\n  return a + b;\n}\nconst total = add(1, 2);</code></pre>");
    expect(html).toContain('<pre class="output-code"');
    expect(html).toContain('<span class="hljs-keyword">');
    expect(render("Use `npm test` now")).toContain('<code class="output-inline-code">npm test</code>');
  });
});
