/** Small helpers for the option lists callers pass (allow-lists, `crit`). */

/** True when two optional string lists hold the same names in the same order. */
export function sameStrings(a: readonly string[] | undefined, b: readonly string[] | undefined): boolean {
  if (a === b) return true;
  if (a === undefined || b === undefined || a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/** A frozen copy of an optional list, so a caller changing its array later changes nothing here. */
export function frozenCopy(list: readonly string[] | undefined): readonly string[] | undefined {
  return list === undefined ? undefined : Object.freeze([...list]);
}
