/** JSON values as they cross the API and the database. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/**
 * Whether two JSON values are the same payload. Object key order does not matter (a client
 * re-serialising a result must not turn a duplicate into a conflict); array order does.
 */
export function jsonEqual(a: JsonValue, b: JsonValue): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item: JsonValue, i) => jsonEqual(item, b[i] as JsonValue));
  }
  const objA = a;
  const objB = b;
  const keysA = Object.keys(objA);
  if (keysA.length !== Object.keys(objB).length) return false;
  return keysA.every(
    (key) => Object.hasOwn(objB, key) && jsonEqual(objA[key] as JsonValue, objB[key] as JsonValue),
  );
}
