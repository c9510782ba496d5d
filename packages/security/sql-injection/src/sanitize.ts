// ╔══════════════════════════════════════════════════════════════════════╗
// ║  DO NOT USE. The kind of "sanitizer" the usual answer recommends,     ║
// ║  written here so the tests can show how it fails.                     ║
// ╚══════════════════════════════════════════════════════════════════════╝

// Doubling every quote is how SQL writes a quote inside a literal, so
// `O'Brien` becomes `'O''Brien'`. It holds only where three things are
// all true: the input sits inside quotes, the server reads backslashes as
// plain characters (`standard_conforming_strings = on`, PostgreSQL's
// default since 9.1), and the literal is not an `E'…'` string. Break any
// one and a payload gets out; a number in `id = ${input}` has no quotes
// to escape at all.
export const escapeQuotes = (input: string): string => input.replaceAll("'", "''");

// A blacklist of the words attacks use. Removing them in one pass leaves
// what surrounds them: `UNIunionON` becomes `UNION`. Rejecting instead of
// removing fares little better: SQL has other ways to say most things
// (`$$text$$` for a quoted string, `chr(39)` for a quote), and honest
// input meets the list too: a search for "Union Jack" arrives as " Jack".
const BLACKLIST = [/--/g, /;/g, /\/\*/g, /\*\//g, /\bor\b/gi, /union/gi, /select/gi, /drop/gi];

export const stripKeywords = (input: string): string =>
  BLACKLIST.reduce((text, word) => text.replace(word, ""), input);

/** Both at once: what a hand-rolled `sanitize()` usually does. It is not enough. */
export const sanitize = (input: string): string => escapeQuotes(stripKeywords(input));
