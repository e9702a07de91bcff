/** Deeper than any honest payload, and far below what would exhaust the stack of this walk. */
export const maxJsonDepth = 64;

/**
 * Why `value` is not JSON that PostgreSQL can store (a function, a bigint, undefined in an array,
 * NaN, a cycle, a NUL character, nesting deeper than {@link maxJsonDepth}...), or undefined when
 * it is. A hand-written walk: zod's `z.json()` cost five times the whole append's client time on
 * a 100-event batch.
 */
export function jsonProblem(value: unknown, path = '', seen = new Set<object>()): string | undefined {
  switch (typeof value) {
    case 'string':
      // jsonb refuses \u0000; caught here it is a field error, not a database failure.
      return value.includes('\u0000') ? `${path || '(value)'}: contains a NUL character (\\u0000)` : undefined;
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : `${path || '(value)'}: ${value} is not a JSON number`;
    case 'object': {
      if (value === null) return undefined;
      if (seen.has(value)) return `${path || '(value)'}: contains a cycle`;
      if (seen.size >= maxJsonDepth) return `${path || '(value)'}: nests deeper than ${maxJsonDepth} levels`;
      if (
        !Array.isArray(value) &&
        Object.getPrototypeOf(value) !== Object.prototype &&
        Object.getPrototypeOf(value) !== null
      ) {
        return `${path || '(value)'}: a ${value.constructor?.name ?? 'class instance'} is not plain JSON`;
      }
      seen.add(value);
      const entries = Array.isArray(value) ? value.map((v, i) => [String(i), v] as const) : Object.entries(value);
      for (const [key, child] of entries) {
        const problem = jsonProblem(child, path ? `${path}.${key}` : key, seen);
        if (problem) return problem;
      }
      seen.delete(value);
      return undefined;
    }
    default:
      return `${path || '(value)'}: a ${typeof value} is not JSON`;
  }
}
