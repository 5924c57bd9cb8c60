type Plain = Record<string, unknown>;

const isPlain = (v: unknown): v is Plain => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Deep merge for recipe layering: objects merge key by key, everything else (lists too) replaces. */
export function mergeDefaults(defaults: unknown, recipe: unknown): unknown {
  if (!isPlain(defaults) || !isPlain(recipe)) return recipe === undefined ? defaults : recipe;
  const out: Plain = { ...defaults };
  for (const [key, value] of Object.entries(recipe)) {
    // Defined, not assigned: `out["__proto__"] = ...` would set the prototype and hide the key
    // from validation; as an own key it is an unknown key like any other.
    const base = Object.prototype.hasOwnProperty.call(defaults, key) ? defaults[key] : undefined;
    Object.defineProperty(out, key, {
      value: mergeDefaults(base, value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return out;
}
