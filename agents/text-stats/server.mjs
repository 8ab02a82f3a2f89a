// Text statistics: words, sentences, characters, reading time and the most frequent words.
import { runAgent, textOf } from "../lib/contract.mjs";

const STOP = new Set(
  "a an and are as at be by for from has have in is it its of on or that the to was were will with".split(" "),
);

export function textStats(text) {
  const words = text.toLowerCase().match(/[\p{L}\p{N}']+/gu) ?? [];
  const sentences = text.split(/[.!?]+(?:\s|$)/).filter((s) => s.trim()).length;
  const counts = new Map();
  for (const w of words) if (!STOP.has(w)) counts.set(w, (counts.get(w) ?? 0) + 1);
  const top = [...counts.entries()]
    .sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))
    .slice(0, 5)
    .map(([word, count]) => ({ word, count }));
  return {
    words: words.length,
    sentences,
    characters: text.length,
    characters_no_spaces: text.replace(/\s/g, "").length,
    reading_time_s: Math.ceil((words.length / 200) * 60),
    top_words: top,
  };
}

await runAgent({
  name: "text-stats",
  handle(req) {
    const stats = textStats(textOf(req));
    const top = stats.top_words.map((t) => t.word).join(", ") || "none";
    return {
      response: `turn ${req.turn}: ${stats.words} words, ${stats.sentences} sentences, ${stats.characters} characters; about ${stats.reading_time_s} s to read; top words: ${top}`,
      data: stats,
    };
  },
});
