// The CPU work every example shares: counting primes by trial division.
// It is deliberately naive. It allocates nothing and never awaits, so
// whichever thread runs it is busy from the first line to the last.
// Plain JavaScript, so a worker thread can load it as it is.

/**
 * Counts the primes below `limit`.
 * @param {number} limit
 * @returns {number}
 */
export function countPrimes(limit) {
  let count = 0;
  for (let n = 2; n < limit; n++) {
    let prime = true;
    for (let d = 2; d * d <= n; d++) {
      if (n % d === 0) {
        prime = false;
        break;
      }
    }
    if (prime) count++;
  }
  return count;
}

/** The wall-clock time in ms, comparable across threads. */
export function wallClock() {
  return performance.timeOrigin + performance.now();
}
