import { wordTokens } from "../memory/embeddings/word-vector-embedder.ts";

/** Words too common to tell documents apart. */
const STOPWORDS = new Set(
  (
    "a an and are as at be been but by can could did do does for from had has have he her his how i if in into is it its me my no not of on or our " +
    "she so than that the their them then there these they this to too us was we were what when where which who why will with would you your"
  ).split(" "),
);

/** A light English stemmer: enough to make "indexing", "indexed" and "indexes" one term. */
export function stem(word: string): string {
  if (word.length <= 3) return word;
  if (word.endsWith("ies") && word.length > 4) return `${word.slice(0, -3)}y`;
  if (word.endsWith("sses")) return word.slice(0, -2);
  for (const suffix of ["ing", "edly", "ed", "ly", "es", "s"]) {
    if (word.endsWith(suffix) && word.length - suffix.length >= 3) {
      if (suffix === "s" && word.endsWith("ss")) return word;
      return word.slice(0, -suffix.length);
    }
  }
  return word;
}

/** The terms of `text` for keyword search: lowercased words, stopwords dropped, stemmed. */
export function keywordTerms(text: string): string[] {
  return wordTokens(text)
    .filter((word) => !STOPWORDS.has(word))
    .map(stem);
}
