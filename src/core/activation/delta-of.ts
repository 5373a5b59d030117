/**
 * Members added and removed between two runs. Example: `{ added: ['c'], removed: ['a'] }`
 */
export interface Delta {
  added: string[];
  removed: string[];
}

/**
 * The members of `current` not in `previous` (added) and of `previous` not in `current` (removed), in
 * one merge pass. Both lists must be sorted ascending by code unit (`Array.prototype.sort()` with no
 * comparator) and hold each ID once; the results are sorted too.
 *
 * Example: `deltaOf(['a', 'b'], ['b', 'c'])` -> `{ added: ['c'], removed: ['a'] }`
 */
export function deltaOf(previous: readonly string[], current: readonly string[]): Delta {
  const added: string[] = [];
  const removed: string[] = [];
  let i = 0;
  let j = 0;
  while (i < previous.length && j < current.length) {
    const before = previous[i] as string;
    const now = current[j] as string;
    if (before === now) {
      i++;
      j++;
    } else if (before < now) {
      removed.push(before);
      i++;
    } else {
      added.push(now);
      j++;
    }
  }
  for (; i < previous.length; i++) removed.push(previous[i] as string);
  for (; j < current.length; j++) added.push(current[j] as string);
  return { added, removed };
}
