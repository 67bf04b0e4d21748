/** Reads and writes settings by their dotted path (`mqtt.embedded.port`) in a nested object. */
export function valueAt(source: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((n, k) => (isPlainObject(n) ? n[k] : undefined), source);
}

export function setValueAt(target: object, path: string, value: unknown): void {
  const keys = path.split('.');
  let node = target as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  node[keys[keys.length - 1]!] = value;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}
