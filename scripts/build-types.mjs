// Emits the library's declarations, dist/types/**.d.ts (tsc --emitDeclarationOnly over src/lib).
// They serve twice: as the `types` of the npm package (`exports["."].types`), and as what the
// TypeScript server plugin (src/extension/tsPlugin) resolves `gradscope` to in a folder without it.
//
// Usage: node scripts/build-types.mjs [--production]   (scripts/build.mjs runs it as its `types`
// target, in a worker thread so that the type checker's seconds overlap esbuild's bundles).
//   default       incremental: a build info file inside dist/types lets an unchanged library skip
//                 the type check, and a changed one recheck only what the change reaches
//   --production  clean: dist/types is emptied first, so no declaration of a deleted module ships
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outDir = path.join(root, 'dist/types');
// NOTE: inside outDir, so deleting dist/ (or dist/types) also forgets the build state: an
// incremental program trusts its build info and would not re-emit files deleted behind its back.
const buildInfo = path.join(outDir, '.tsbuildinfo');
const entry = path.join(root, 'src/lib/index.ts');

/**
 * @param {typeof import('typescript')} ts
 * @returns {import('typescript').CompilerOptions}
 */
function compilerOptions(ts) {
  return {
    declaration: true,
    emitDeclarationOnly: true,
    outDir,
    rootDir: path.join(root, 'src/lib'),
    target: ts.ScriptTarget.ES2022,
    module: ts.ModuleKind.ESNext,
    moduleResolution: ts.ModuleResolutionKind.Bundler,
    // The library's own code uses console, TextEncoder and WebAssembly (in DOM's lib and Node's alike).
    lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
    // NOTE: no ambient @types (node, mocha, vscode): the declarations must stand on their own in a
    // user's folder that has none of them.
    types: [],
    strict: true,
    skipLibCheck: true,
    isolatedModules: true,
    stripInternal: true,
    removeComments: false,
    incremental: true,
    tsBuildInfoFile: buildInfo,
  };
}

/** Newest modification time (ms) of the files under `dir`. */
function newestMtime(dir) {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) newest = Math.max(newest, fs.statSync(path.join(entry.parentPath ?? entry.path, entry.name)).mtimeMs);
  }
  return newest;
}

/**
 * Whether the last emit is newer than every input (the library's sources and this script). Checked
 * before TypeScript is even loaded: an incremental program still parses every file, DOM's lib
 * included, which costs seconds on each `npm test` for nothing.
 */
function upToDate() {
  if (!fs.existsSync(path.join(outDir, 'index.d.ts')) || !fs.existsSync(buildInfo)) return false;
  const stamp = fs.statSync(buildInfo).mtimeMs;
  return newestMtime(path.join(root, 'src/lib')) < stamp && fs.statSync(fileURLToPath(import.meta.url)).mtimeMs < stamp;
}

/** Emits dist/types; returns the number of declaration files written (0 when all were current). */
export async function emitDeclarations({ production = false } = {}) {
  if (!production && upToDate()) return 0;
  const { default: ts } = await import('typescript');
  const complete = fs.existsSync(path.join(outDir, 'index.d.ts')) && fs.existsSync(buildInfo);
  if (production || !complete) fs.rmSync(outDir, { recursive: true, force: true });
  const program = ts.createIncrementalProgram({ rootNames: [entry], options: compilerOptions(ts) });
  let written = 0;
  const writeFile = (fileName, text, bom) => {
    if (fileName.endsWith('.d.ts')) written++;
    ts.sys.writeFile(fileName, text, bom);
  };
  // NOTE: only the emit's own diagnostics fail the build (a declaration that cannot be written);
  // type errors in the library are `npm run typecheck`'s job, and must not block packaging.
  const result = program.emit(undefined, writeFile);
  const problems = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (problems.length) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
    console.error(ts.formatDiagnostics(problems.slice(0, 20), host));
    throw new Error(`build-types: ${problems.length} error(s) emitting the library's declarations`);
  }
  if (!fs.existsSync(path.join(outDir, 'index.d.ts'))) throw new Error('build-types: dist/types/index.d.ts was not emitted');
  // The stamp upToDate() compares with (TypeScript leaves the file alone when nothing changed).
  const now = new Date();
  fs.utimesSync(buildInfo, now, now);
  return written;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const t0 = Date.now();
  const written = await emitDeclarations({ production: process.argv.includes('--production') });
  console.log(`built dist/types (${written} declaration files written) in ${Date.now() - t0} ms`);
}
