/**
 * Text PostgreSQL cannot store: the NUL character (text and jsonb refuse it) and a lone UTF-16 surrogate
 * (it has no UTF-8 form, so the driver cannot send it). Either one used to reach a query and fail it with a 500,
 * or, in the batched answer saver, fail every save of the batch with a 503 that the page retried forever.
 */
// eslint-disable-next-line no-control-regex
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export function isStorableText(text: string): boolean {
  return !UNSTORABLE.test(text);
}

/** The same text with every unstorable character replaced by U+FFFD, for records that must never fail (the audit log). */
export function storableText(text: string): string {
  return isStorableText(text) ? text : text.replace(new RegExp(UNSTORABLE.source, 'g'), '\uFFFD');
}

/** A copy of a JSON-like value in which every string (keys included) is storable. */
export function storableValue(value: unknown): unknown {
  if (typeof value === 'string') return storableText(value);
  if (Array.isArray(value)) return value.map(storableValue);
  if (value && typeof value === 'object' && !(value instanceof Date) && !Buffer.isBuffer(value)) {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [storableText(k), storableValue(v)]));
  }
  return value;
}

/** The path of the first string (or object key) in `value` that cannot be stored, e.g. ['answers', '0', 'text']; null if none. */
export function findUnstorable(value: unknown, path: string[] = []): string[] | null {
  if (typeof value === 'string') return isStorableText(value) ? null : path;
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) {
      const found = findUnstorable(value[i], [...path, String(i)]);
      if (found) return found;
    }
    return null;
  }
  if (value && typeof value === 'object' && !Buffer.isBuffer(value)) {
    for (const [key, child] of Object.entries(value)) {
      if (!isStorableText(key)) return [...path, storableText(key)];
      const found = findUnstorable(child, [...path, key]);
      if (found) return found;
    }
  }
  return null;
}
