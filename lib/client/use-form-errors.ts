"use client";

import { useCallback, useState, type FormEvent } from "react";
import { checkValue, checkValues, formErrors, type Rules } from "./form-errors";

/**
 * A form's errors in the one style (./form-errors.ts): `check` before sending (false when a field is wrong, and
 * each wrong field says why), `fail` with what the API answered, and `onChange` on the <form> re-checks a field that
 * shows an error as it is edited, so the message goes away once the field is fixed. `formProps` wires all three.
 */
export function useFormErrors(rules: Rules) {
  const [fields, setFields] = useState<Record<string, string>>({});
  const [form, setForm] = useState<string | null>(null);

  const check = useCallback(
    (el: HTMLFormElement): boolean => {
      const values: Record<string, string> = {};
      for (const [name, value] of new FormData(el)) if (typeof value === "string") values[name] = value;
      const found = checkValues(rules, values);
      setFields(found);
      setForm(null);
      return Object.keys(found).length === 0;
    },
    [rules],
  );

  const fail = useCallback(
    (err: unknown) => {
      const out = formErrors(err, rules);
      setFields(out.fields);
      setForm(out.form);
    },
    [rules],
  );

  const onChange = useCallback(
    (e: FormEvent<HTMLFormElement>) => {
      const target = e.target as HTMLInputElement;
      const rule = rules[target.name];
      setFields((now) => {
        if (!(target.name in now)) return now;
        const { [target.name]: _was, ...rest } = now;
        const still = rule ? checkValue(rule, target.value) : null;
        return still ? { ...rest, [target.name]: still } : rest;
      });
    },
    [rules],
  );

  const clear = useCallback(() => {
    setFields({});
    setForm(null);
  }, []);

  /**
   * The <form>'s props in the one style: no browser pop-ups, errors cleared as fields are fixed, and `onValid` called
   * with the form's data only when every field passes.
   */
  const formProps = (onValid: (data: FormData, el: HTMLFormElement) => void) => ({
    noValidate: true,
    onChange,
    onSubmit: (e: FormEvent<HTMLFormElement>) => {
      e.preventDefault();
      const el = e.currentTarget;
      if (check(el)) onValid(new FormData(el), el);
    },
  });

  return { fields, form, check, fail, onChange, clear, setForm, formProps };
}
