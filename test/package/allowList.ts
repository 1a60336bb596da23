/**
 * Allow-lists of the files a package may hold, as glob patterns (`*` within one path segment, `**`
 * across segments): a file no pattern matches is a stray, and a `required` pattern that matches no
 * file is a missing piece.
 */

export interface AllowEntry {
  pattern: string;
  /** The package is broken without at least one file matching it. */
  required: boolean;
}

export const required = (pattern: string): AllowEntry => ({ pattern, required: true });
export const optional = (pattern: string): AllowEntry => ({ pattern, required: false });

/** `dist/types/**\/*.d.ts` → a RegExp over a whole forward-slashed path. */
export function globToRegExp(glob: string): RegExp {
  let source = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      const slash = glob[i + 2] === '/';
      source += slash ? '(?:.*/)?' : '.*';
      i += slash ? 2 : 1;
    } else if (c === '*') {
      source += '[^/]*';
    } else {
      source += c.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  return new RegExp(`^${source}$`);
}

export interface AllowListProblems {
  /** Files no entry allows. */
  strays: string[];
  /** Required patterns no file matches. */
  missing: string[];
}

export function checkAllowList(files: readonly string[], entries: readonly AllowEntry[]): AllowListProblems {
  const compiled = entries.map((e) => ({ ...e, re: globToRegExp(e.pattern) }));
  const strays = files.filter((f) => !compiled.some((e) => e.re.test(f)));
  const missing = compiled.filter((e) => e.required && !files.some((f) => e.re.test(f))).map((e) => e.pattern);
  return { strays, missing };
}
