/**
 * A tiny runtime-type library for the messages that cross a boundary (worker → host,
 * webview ↔ host). Each schema checks an unknown value and reports the first problem with its
 * path (`snapshot.nodes[3].tensor.shape[0]: expected an integer`).
 *
 * NOTE [Why hand-written schemas]
 * The contract types (`GraphSnapshot`, the message unions) are plain interfaces that the webview,
 * the extension and the worker all import; the schemas are declared as `Schema<ThatInterface>`,
 * so the compiler rejects a schema that forgets a required field or accepts a wrong type. The
 * whole thing is ~150 lines with no dependency, which matters for the webview bundle and the
 * worker; a validation library (valibot, zod) would either duplicate the interfaces or make the
 * schemas the source of truth of a contract other engineers code against.
 */

/** Checks a value; `__type` only carries T for the compiler (covariant, never set). */
export interface Schema<T> {
  check(value: unknown, path: string): string | null;
  readonly __type?: T;
}

export type Infer<S> = S extends Schema<infer T> ? T : never;

/** Upper bound for any string we accept (a log line, a tensor's printed text). */
export const MAX_STRING_LENGTH = 16 * 1024 * 1024;

function schema<T>(check: (value: unknown, path: string) => string | null): Schema<T> {
  return { check };
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `${typeof value}`;
}

export function str(options: { maxLength?: number; minLength?: number } = {}): Schema<string> {
  const max = options.maxLength ?? MAX_STRING_LENGTH;
  const min = options.minLength ?? 0;
  return schema((v, path) => {
    if (typeof v !== 'string') return `${path}: expected a string, got ${describe(v)}`;
    if (v.length > max) return `${path}: string longer than ${max}`;
    if (v.length < min) return `${path}: string shorter than ${min}`;
    return null;
  });
}

/** Any JavaScript number, NaN and ±Infinity included (tensor values and statistics). */
export function num(): Schema<number> {
  return schema((v, path) => (typeof v === 'number' ? null : `${path}: expected a number, got ${describe(v)}`));
}

/** A safe integer within [min, max]. */
export function int(min = Number.MIN_SAFE_INTEGER, max = Number.MAX_SAFE_INTEGER): Schema<number> {
  return schema((v, path) => {
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) return `${path}: expected an integer, got ${describe(v)}`;
    if (v < min || v > max) return `${path}: ${v} is outside [${min}, ${max}]`;
    return null;
  });
}

export function bool(): Schema<boolean> {
  return schema((v, path) => (typeof v === 'boolean' ? null : `${path}: expected a boolean, got ${describe(v)}`));
}

export function literal<const L extends readonly (string | number | boolean)[]>(...values: L): Schema<L[number]> {
  return schema((v, path) =>
    values.includes(v as L[number]) ? null : `${path}: expected one of ${values.map((x) => JSON.stringify(x)).join(', ')}`);
}

export function nullable<T>(inner: Schema<T>): Schema<T | null> {
  return schema((v, path) => (v === null ? null : inner.check(v, path)));
}

/** Any value (structured-clone data we only pass along, e.g. op attributes). */
export function unknownValue(): Schema<unknown> {
  return schema(() => null);
}

export function arrayOf<T>(item: Schema<T>, options: { maxLength?: number } = {}): Schema<T[]> {
  const max = options.maxLength ?? Number.MAX_SAFE_INTEGER;
  return schema((v, path) => {
    if (!Array.isArray(v)) return `${path}: expected an array, got ${describe(v)}`;
    if (v.length > max) return `${path}: array longer than ${max}`;
    for (let i = 0; i < v.length; i++) {
      const problem = item.check(v[i], `${path}[${i}]`);
      if (problem !== null) return problem;
    }
    return null;
  });
}

/** An array of numbers, checked in one tight loop (tensor values can be long). */
export function numberArray(options: { maxLength?: number } = {}): Schema<number[]> {
  const max = options.maxLength ?? Number.MAX_SAFE_INTEGER;
  return schema((v, path) => {
    if (!Array.isArray(v)) return `${path}: expected an array of numbers, got ${describe(v)}`;
    if (v.length > max) return `${path}: array longer than ${max}`;
    for (let i = 0; i < v.length; i++) {
      if (typeof v[i] !== 'number') return `${path}[${i}]: expected a number, got ${describe(v[i])}`;
    }
    return null;
  });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A string-keyed map whose values all match `value`. */
export function recordOf<T>(value: Schema<T>): Schema<Record<string, T>> {
  return schema((v, path) => {
    if (!isPlainObject(v)) return `${path}: expected an object, got ${describe(v)}`;
    for (const key of Object.keys(v)) {
      const problem = value.check(v[key], `${path}.${key}`);
      if (problem !== null) return problem;
    }
    return null;
  });
}

/** Marks a property of `object({...})` as optional (absent or undefined). */
export interface OptionalSchema<T> extends Schema<T | undefined> {
  readonly optional: true;
}

export function optional<T>(inner: Schema<T>): OptionalSchema<T> {
  return { optional: true, check: (v, path) => (v === undefined ? null : inner.check(v, path)) };
}

type Shape = Record<string, Schema<unknown>>;
type OptionalKeys<S extends Shape> = { [K in keyof S]: S[K] extends OptionalSchema<unknown> ? K : never }[keyof S];
type RequiredKeys<S extends Shape> = Exclude<keyof S, OptionalKeys<S>>;
type Simplify<T> = { [K in keyof T]: T[K] } & {};
export type ObjectOf<S extends Shape> = Simplify<
  { [K in RequiredKeys<S>]: Infer<S[K]> } & { [K in OptionalKeys<S>]?: Exclude<Infer<S[K]>, undefined> }
>;

/** An object with (at least) these properties; extra properties are ignored. */
export function object<S extends Shape>(shape: S): Schema<ObjectOf<S>> {
  const entries = Object.entries(shape);
  return schema((v, path) => {
    if (!isPlainObject(v)) return `${path}: expected an object, got ${describe(v)}`;
    for (const [key, s] of entries) {
      const problem = s.check(v[key], `${path}.${key}`);
      if (problem !== null) return problem;
    }
    return null;
  });
}

/**
 * A union discriminated by a string property (`type`): the tag picks the one schema to check,
 * so the error names the real problem instead of "matched no member".
 */
export function taggedUnion<K extends string, M extends Record<string, Schema<unknown>>>(
  tag: K, members: M,
): Schema<Infer<M[keyof M]>> {
  return schema((v, path) => {
    if (!isPlainObject(v)) return `${path}: expected an object, got ${describe(v)}`;
    const t = v[tag];
    if (typeof t !== 'string' || !Object.prototype.hasOwnProperty.call(members, t)) {
      return `${path}.${tag}: unknown ${tag} ${JSON.stringify(t)?.slice(0, 80)}`;
    }
    return members[t].check(v, path);
  });
}

/** Runs a schema: the value typed as T, or the first problem found. */
export function validate<T>(s: Schema<T>, value: unknown, path = 'value'): { ok: true; value: T } | { ok: false; error: string } {
  let problem: string | null;
  try {
    problem = s.check(value, path);
  } catch (e) {
    // NOTE: a hostile value (a getter that throws, a revoked Proxy) must not crash the receiver.
    problem = `${path}: could not be inspected (${e instanceof Error ? e.message : String(e)})`;
  }
  return problem === null ? { ok: true, value: value as T } : { ok: false, error: problem };
}
