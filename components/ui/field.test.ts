import { createElement, type ComponentProps } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Field, Input, InputField } from "./field";

type FieldProps = ComponentProps<typeof Field>;

describe("InputField", () => {
  it("renders what a Field around an Input renders: the label, the input described by its error", () => {
    const props = { id: "s-name", name: "name", type: "email", defaultValue: "Ada" };
    const field = renderToStaticMarkup(createElement(InputField, { ...props, label: "Name", error: "Too short" }));
    const input = createElement(Input, props);
    const wrapped = renderToStaticMarkup(
      createElement(Field, { label: "Name", htmlFor: "s-name", error: "Too short" } as FieldProps, input),
    );
    expect(field).toBe(wrapped);
    expect(field).toContain('aria-invalid="true"');
    expect(field).toContain('aria-describedby="s-name-error"');
  });

  it("shows the hint when there is no error, and keeps max as the character count", () => {
    const html = renderToStaticMarkup(
      createElement(InputField, { id: "c", label: "Caps", hint: "Comma separated", max: 40 }),
    );
    expect(html).toContain('id="c-hint"');
    expect(html).toContain('aria-describedby="c-hint"');
    expect(html).not.toMatch(/<input[^>]* max=/);
  });
});
