import "server-only";
import { ZxcvbnFactory } from "@zxcvbn-ts/core";
import * as common from "@zxcvbn-ts/language-common";
import * as en from "@zxcvbn-ts/language-en";
import { MIN_PASSWORD_LENGTH } from "@/lib/api/contracts/auth";

/**
 * Password rules for sign-up and password change: at least MIN_PASSWORD_LENGTH characters, and hard to guess by
 * zxcvbn-ts (the maintained TypeScript port of Dropbox's zxcvbn) with its common-password, English and keyboard
 * dictionaries, plus the person's own email and name. Score 3 means "safely unguessable: moderate protection
 * from offline slow-hash scenarios" (about 10^8 guesses or more).
 */
export const MIN_PASSWORD_SCORE = 3;
/** zxcvbn's cost grows with length; beyond this the first characters decide (a long tail only adds strength). */
const CHECKED_LENGTH = 100;

let factory: ZxcvbnFactory | undefined;

function zxcvbn(): ZxcvbnFactory {
  // Built on first use: the dictionaries take a moment to load. No Levenshtein matching: it makes a check
  // cost hundreds of milliseconds, and the l33t and dictionary matchers already catch the common passwords.
  factory ??= new ZxcvbnFactory({
    dictionary: { ...common.dictionary, ...en.dictionary },
    graphs: common.adjacencyGraphs,
    translations: en.translations,
  });
  return factory;
}

export type PasswordVerdict = { ok: true; score: number } | { ok: false; score: number; message: string };

/** Judges a new password; `userInputs` are words the person's own data gives away (email, name). */
export function checkPasswordStrength(password: string, userInputs: readonly string[] = []): PasswordVerdict {
  if (password.length < MIN_PASSWORD_LENGTH) {
    return { ok: false, score: 0, message: `must be at least ${MIN_PASSWORD_LENGTH} characters` };
  }
  // The whole value, its words, and its letters run together ("Ada Lovelace" -> "adalovelace").
  const inputs = userInputs
    .flatMap((v) => {
      const lower = v.toLowerCase();
      const local = lower.split("@", 1)[0] ?? lower;
      return [
        lower,
        local,
        local.replace(/[^a-z0-9]/g, ""),
        lower.replace(/[^a-z0-9]/g, ""),
        ...lower.split(/[^a-z0-9]+/),
      ];
    })
    .filter((v) => v.length >= 3);
  const result = zxcvbn().check(password.slice(0, CHECKED_LENGTH), inputs);
  if (result.score >= MIN_PASSWORD_SCORE) return { ok: true, score: result.score };
  const advice = [result.feedback.warning, ...result.feedback.suggestions].filter((s): s is string => !!s);
  const why = advice.length ? ` ${advice.join(" ")}` : " Use a longer phrase of uncommon words.";
  return { ok: false, score: result.score, message: `is too easy to guess.${why}` };
}
