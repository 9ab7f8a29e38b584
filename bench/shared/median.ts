// The benches fold their rounds into one figure each with the median: on a shared machine one round
// that a neighbour's burst slowed pulls a mean with it, and not a median. One function for every
// bench, so a figure called a median means the same in each bench's output.

/**
 * The median of `values`, in any order (the array is left as it is). On an even count it is the
 * mean of the two middle values, the textbook definition: it does not depend on which way the
 * values are sorted, and it is what readers of a bench's output (and any statistics package that
 * checks a figure) take "median" to mean, which the upper or lower middle value alone is not. NaN
 * for no values, which have no median.
 */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
}
