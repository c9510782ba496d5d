/** Counts the primes below `limit`, by trial division: pure CPU work. */
export declare function countPrimes(limit: number): number;
/** `performance.timeOrigin + performance.now()`: a wall clock comparable across threads. */
export declare function wallClock(): number;
