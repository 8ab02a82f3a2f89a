import type { ReactNode } from "react";

/**
 * One choice out of a few, as native radio inputs inside labels (keyboard and screen readers as the browser gives
 * them). `show` draws an option's label; `inputClassName` hides the input where the label draws the choice itself.
 */
export function RadioGroup<T extends string | number>({
  label,
  name,
  options,
  value,
  onChange,
  show,
  className,
  optionClassName,
  inputClassName,
  optionLabel,
  disabled,
}: {
  label: string;
  name: string;
  options: readonly T[];
  value: T | null;
  onChange: (value: T) => void;
  show: (option: T) => ReactNode;
  className?: string;
  optionClassName?: string;
  inputClassName?: string;
  /** the accessible name of an option whose label shows no text */
  optionLabel?: (option: T) => string;
  disabled?: (option: T) => boolean;
}) {
  return (
    <div role="radiogroup" aria-label={label} className={className}>
      {options.map((option) => (
        <label key={option} className={optionClassName}>
          <input
            type="radio"
            name={name}
            value={option}
            checked={value === option}
            disabled={disabled?.(option)}
            onChange={() => onChange(option)}
            className={inputClassName}
            aria-label={optionLabel?.(option)}
          />
          {show(option)}
        </label>
      ))}
    </div>
  );
}
