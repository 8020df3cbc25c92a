/**
 * JSON may escape lone UTF-16 surrogates (`"\ud800"`). Text holding one breaks the context
 * document's canonical JSON hash (RFC 8785 refuses it) and is not valid UTF-8 for SQAI or Jira, so
 * every string of a Jira or Xray answer (the document's sources) is made well-formed — U+FFFD for a lone
 * surrogate — as it is read. The walk is iterative (a reviver recurses, and an answer nested
 * thousands deep would overflow the stack) and only runs when the text holds a surrogate at all.
 */
const MAY_HOLD_SURROGATE = /\\u[dD][89a-fA-F]|[\uD800-\uDFFF]/;

export interface JsonReading {
  /**
   * `'replace'` (the default): U+FFFD for each lone surrogate. `'keep'`: strings exactly as sent —
   * SQAI's answers, whose generation id goes back to SQAI and whose proposals are SQAI's own text.
   */
  loneSurrogates?: 'replace' | 'keep';
}

/** `JSON.parse` whose strings are all well-formed UTF-16. Throws like `JSON.parse` on bad JSON. */
export function parseWellFormedJson(text: string, reading: JsonReading = {}): unknown {
  const value: unknown = JSON.parse(text);
  if (reading.loneSurrogates === 'keep' || !MAY_HOLD_SURROGATE.test(text)) return value;
  if (typeof value === 'string') return value.toWellFormed();
  const pending: unknown[] = [value];
  while (pending.length > 0) {
    const node = pending.pop();
    if (Array.isArray(node)) {
      node.forEach((item: unknown, index) => {
        if (typeof item === 'string') node[index] = item.toWellFormed();
        else if (typeof item === 'object' && item !== null) pending.push(item);
      });
    } else if (typeof node === 'object' && node !== null) {
      const record = node as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const item = record[key];
        const fixedKey = key.toWellFormed();
        if (fixedKey !== key) delete record[key];
        if (typeof item === 'string') record[fixedKey] = item.toWellFormed();
        else {
          record[fixedKey] = item;
          if (typeof item === 'object' && item !== null) pending.push(item);
        }
      }
    }
  }
  return value;
}
