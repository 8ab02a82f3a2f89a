// Lexicon-based sentiment: a score in [-1, 1] with the words that drove it (negations flip the next word).
import { runAgent, textOf } from "../lib/contract.mjs";

const LEXICON = {
  good: 2,
  great: 3,
  excellent: 3,
  amazing: 3,
  love: 3,
  like: 1,
  happy: 2,
  nice: 2,
  fast: 1,
  helpful: 2,
  wonderful: 3,
  best: 3,
  fine: 1,
  easy: 1,
  reliable: 2,
  clean: 1,
  perfect: 3,
  glad: 2,
  thanks: 1,
  enjoy: 2,
  bad: -2,
  terrible: -3,
  awful: -3,
  hate: -3,
  slow: -1,
  broken: -2,
  poor: -2,
  worst: -3,
  sad: -2,
  angry: -2,
  bug: -1,
  buggy: -2,
  crash: -2,
  difficult: -1,
  ugly: -2,
  useless: -3,
  wrong: -2,
  fail: -2,
  failed: -2,
  annoying: -2,
};
const NEGATIONS = new Set(["not", "no", "never", "hardly", "isn't", "don't", "doesn't", "wasn't", "can't"]);

export function sentiment(text) {
  const words = text.toLowerCase().match(/[a-z']+/g) ?? [];
  let raw = 0;
  const drivers = [];
  for (let i = 0; i < words.length; i++) {
    const w = words[i];
    const base = LEXICON[w];
    if (base === undefined) continue;
    const negated = i > 0 && NEGATIONS.has(words[i - 1]);
    const value = negated ? -base : base;
    raw += value;
    drivers.push({ word: negated ? `not ${w}` : w, weight: value });
  }
  const score = drivers.length ? Math.max(-1, Math.min(1, raw / (3 * Math.sqrt(drivers.length)))) : 0;
  const label = score > 0.1 ? "positive" : score < -0.1 ? "negative" : "neutral";
  return { score: Math.round(score * 1000) / 1000, label, drivers };
}

await runAgent({
  name: "sentiment",
  handle(req) {
    const result = sentiment(textOf(req));
    const why =
      result.drivers.map((d) => `${d.word} (${d.weight > 0 ? "+" : ""}${d.weight})`).join(", ") || "no opinion words";
    return { response: `turn ${req.turn}: ${result.label} (${result.score}); driven by ${why}`, data: result };
  },
});
