// Builds the extension's extra artifacts (besides scripts/build.mjs's bundles):
//   dist/types/**.d.ts   the library's declarations (tsc --emitDeclarationOnly over src/lib), for
//                        IntelliSense on `import * as torch from 'gradscope'` in any folder
//   dist/tsPlugin.js     the TypeScript server plugin that resolves `gradscope` to them
//                        (src/extension/tsPlugin; loaded through the gradscope-ts-plugin package)
//   dist/runner.js       the runner's host side (src/runner/runScript.ts), which the extension
//                        requires on its first run only: see NOTE [Lazy runner] in
//                        src/extension/runController.ts. (Belongs in scripts/build.mjs as a target.)
// Usage: node scripts/build-types.mjs [--production]
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const t0 = Date.now();

function emitDeclarations() {
  const outDir = path.join(root, 'dist/types');
  fs.rmSync(outDir, { recursive: true, force: true });
  const options = {
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
  };
  const program = ts.createProgram([path.join(root, 'src/lib/index.ts')], options);
  // NOTE: only the emit's own diagnostics fail the build (a declaration that cannot be written);
  // type errors in the library are `npm run typecheck`'s job, and must not block packaging.
  const result = program.emit();
  const problems = result.diagnostics.filter((d) => d.category === ts.DiagnosticCategory.Error);
  if (problems.length) {
    const host = { getCanonicalFileName: (f) => f, getCurrentDirectory: () => root, getNewLine: () => '\n' };
    console.error(ts.formatDiagnostics(problems.slice(0, 20), host));
    throw new Error(`build-types: ${problems.length} error(s) emitting the library's declarations`);
  }
  if (!fs.existsSync(path.join(outDir, 'index.d.ts'))) throw new Error('build-types: dist/types/index.d.ts was not emitted');
}

async function bundlePlugin() {
  await esbuild.build({
    entryPoints: [path.join(root, 'src/extension/tsPlugin/plugin.ts')],
    outfile: path.join(root, 'dist/tsPlugin.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node18',
    // tsserver hands the plugin its own `typescript`; only types are imported from it.
    external: ['typescript'],
    logLevel: 'warning',
  });
}

async function bundleRunner() {
  const production = process.argv.includes('--production');
  await esbuild.build({
    entryPoints: [path.join(root, 'src/runner/runScript.ts')],
    outfile: path.join(root, 'dist/runner.js'),
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'es2022',
    external: ['esbuild'],
    minify: production,
    sourcemap: production ? false : 'linked',
    logLevel: 'warning',
  });
}

emitDeclarations();
await Promise.all([bundlePlugin(), bundleRunner()]);
console.log(`built dist/types, dist/tsPlugin.js and dist/runner.js in ${Date.now() - t0} ms`);
