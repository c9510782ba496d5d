/** Edit distance, for "did you mean …?" on a mistyped slug. */
export function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0]!;
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j]!;
      row[j] = Math.min(row[j]! + 1, row[j - 1]! + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length]!;
}

/** The closest candidates: within a third of the word's length, or containing it. */
export function closest(word: string, candidates: string[], limit = 3): string[] {
  return candidates
    .map((c) => ({ c, d: c.includes(word) || word.includes(c) ? 0.5 : distance(word, c) }))
    .filter(({ d }) => d <= Math.max(2, Math.ceil(word.length / 3)))
    .sort((x, y) => x.d - y.d)
    .slice(0, limit)
    .map(({ c }) => c);
}
