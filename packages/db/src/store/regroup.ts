/**
 * Cuts `flat` back into groups of the sizes `groups` have: for work done on every item of several
 * groups at once (one round trip for all of them), whose answers go back to their groups.
 */
export function regroup<Item>(groups: readonly { length: number }[], flat: readonly Item[]): Item[][] {
  const result: Item[][] = [];
  let start = 0;
  for (const group of groups) {
    result.push(flat.slice(start, start + group.length));
    start += group.length;
  }
  return result;
}
