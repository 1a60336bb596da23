/**
 * Bundles the user's script with esbuild into one CommonJS program plus its source map.
 * Relative imports and npm packages are bundled; Node builtins stay `require`s; `gradscope`
 * (and `gradscope/...`) stays external so the worker can hand the script its own library
 * instance — one instance, or the ops would land on a different tape (see DESIGN.md).
 */
import * as esbuild from 'esbuild';
import path from 'node:path';
import type { LogEntry, RunError } from '../protocol/messages';
import type { SourceLocation } from '../protocol/snapshot';
import { IMPORT_META_URL, LIBRARY_SPECIFIER } from './scriptAbi';

export type BundleOutcome =
  | { ok: true; code: string; map: string; warnings: LogEntry[] }
  | { ok: false; error: RunError; warnings: LogEntry[] };

const keepLibraryExternal: esbuild.Plugin = {
  name: 'gradscope-external',
  setup(build) {
    // NOTE: a plugin, not `external`, because a tsconfig `paths` entry for `gradscope` (this repo
    // has one for its examples) would otherwise resolve it to the sources and bundle a 2nd copy.
    build.onResolve({ filter: LIBRARY_SPECIFIER }, (args) => ({ path: args.path, external: true }));
  },
};

function locationOf(loc: esbuild.Location | null | undefined, cwd: string): SourceLocation | undefined {
  if (!loc) return undefined;
  const end = loc.length > 0 && !loc.lineText.slice(loc.column, loc.column + loc.length).includes('\n')
    ? { endLine: loc.line, endColumn: loc.column + loc.length + 1 } : {};
  return { file: path.resolve(cwd, loc.file), line: loc.line, column: loc.column + 1, ...end };
}

function toLog(m: esbuild.Message, cwd: string): LogEntry {
  const where = locationOf(m.location, cwd);
  const prefix = where ? `${where.file}:${where.line}:${where.column}: ` : '';
  return { level: 'warn', text: `${prefix}warning: ${m.text}`, location: where ?? null, source: 'bundler' };
}

/** Bundles `file` (absolute). Never throws for problems in the user's code: they come back as data. */
export async function bundleScript(file: string): Promise<BundleOutcome> {
  const cwd = path.dirname(file);
  let result: esbuild.BuildResult<{ write: false; sourcemap: 'external'; outfile: string }>;
  try {
    result = await esbuild.build({
      entryPoints: [file],
      absWorkingDir: cwd,
      bundle: true,
      write: false,
      format: 'cjs',
      platform: 'node',
      target: 'node20',
      // NOTE: never written; it names the output so the source map's paths are relative to `cwd`.
      outfile: path.join(cwd, '__gradscope_bundle__.js'),
      sourcemap: 'external',
      sourcesContent: true,
      logLevel: 'silent',
      plugins: [keepLibraryExternal],
      define: { 'import.meta.url': IMPORT_META_URL },
      minify: false,
    });
  } catch (e) {
    const failure = e as Partial<esbuild.BuildFailure>;
    const errors = failure.errors ?? [];
    const warnings = (failure.warnings ?? []).map((w) => toLog(w, cwd));
    const first = errors[0];
    if (!first) {
      return { ok: false, warnings, error: { kind: 'internal', name: 'Error', message: `esbuild failed: ${String(e)}` } };
    }
    const location = locationOf(first.location, cwd);
    const lines = errors.map((m) => {
      const l = locationOf(m.location, cwd);
      return `${l ? `${l.file}:${l.line}:${l.column}: ` : ''}error: ${m.text}`;
    });
    return {
      ok: false,
      warnings,
      error: { kind: 'compile', name: 'SyntaxError', message: first.text, ...(location ? { location } : {}), stack: lines.join('\n') },
    };
  }
  const js = result.outputFiles.find((f) => f.path.endsWith('.js'));
  const map = result.outputFiles.find((f) => f.path.endsWith('.js.map'));
  if (!js || !map) {
    return { ok: false, warnings: [], error: { kind: 'internal', name: 'Error', message: 'esbuild produced no output' } };
  }
  return { ok: true, code: js.text, map: map.text, warnings: result.warnings.map((w) => toLog(w, cwd)) };
}
