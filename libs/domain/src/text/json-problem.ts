/** Deepest nesting a JSON body may have (a GeoJSON MultiPolygon inside a FeatureCollection needs 7). */
export const MAX_JSON_DEPTH = 64;

export interface JsonProblem {
  /** Where, as a field path: `name`, `onvif.host`, `features[3].properties.code`; `body` for the whole body. */
  path: string;
  message: string;
}

const child = (path: string, key: string | number): string =>
  typeof key === 'number' ? `${path}[${key}]` : /^[A-Za-z_$][\w$]*$/.test(key) ? (path ? `${path}.${key}` : key) : `${path}[${JSON.stringify(key.slice(0, 40))}]`;

/**
 * Pure and iterative (a 100,000-deep value does not recurse): the first problem of a parsed JSON body.
 * Refused: nesting deeper than `maxDepth`, and a NUL character (U+0000) in any string or key, which
 * Postgres cannot store in text or jsonb (it answered 500 before).
 */
export function findJsonProblem(value: unknown, maxDepth = MAX_JSON_DEPTH): JsonProblem | undefined {
  const stack: Array<{ value: unknown; path: string; depth: number }> = [{ value, path: '', depth: 0 }];
  while (stack.length > 0) {
    const { value: v, path, depth } = stack.pop()!;
    if (typeof v === 'string') {
      if (v.includes('\u0000')) return { path: path || 'body', message: 'must not contain a NUL character (\\u0000)' };
      continue;
    }
    if (v === null || typeof v !== 'object') continue;
    if (depth >= maxDepth) return { path: path || 'body', message: `is nested deeper than ${maxDepth} levels` };
    if (Array.isArray(v)) {
      for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], path: child(path, i), depth: depth + 1 });
    } else {
      const keys = Object.keys(v);
      for (let i = keys.length - 1; i >= 0; i--) {
        const key = keys[i];
        if (key.includes('\u0000')) return { path: path || 'body', message: 'has a key with a NUL character (\\u0000)' };
        stack.push({ value: (v as Record<string, unknown>)[key], path: child(path, key), depth: depth + 1 });
      }
    }
  }
  return undefined;
}
