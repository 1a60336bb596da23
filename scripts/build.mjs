// Builds everything the extension, the CLI, the npm package and the tests load.
// Usage: node scripts/build.mjs [--production] [--only name,name]
//   extension  dist/extension.js     VS Code extension host (Node, CJS, `vscode` external)
//   runner     dist/runner.js        the runner's host side (src/runner/runScript.ts), which the
//                                    extension requires on its first run only (NOTE [Lazy runner]
//                                    in src/extension/runController.ts)
//   worker     dist/worker.js        runs one user script in a worker_threads Worker (includes the library)
//   cli        dist/cli.js           `gradscope run file.ts` without VS Code
//   webview    dist/webview.js       the graph page (browser IIFE: Cytoscape + our UI)
//   layout     dist/layoutWorker.js  the graph layout, run in a Web Worker off the UI thread
//   lib        dist/lib/index.js / index.mjs  the library on its own (`exports` of package.json)
//   types      dist/types/**.d.ts    the library's declarations (scripts/build-types.mjs)
//   tsPlugin   dist/tsPlugin.js      the TypeScript server plugin (src/extension/tsPlugin), loaded by
//                                    tsserver through the gradscope-ts-plugin package
// --production: minified, no source maps, declarations emitted from scratch (what ships).
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const onlyArg = process.argv.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : process.argv[process.argv.indexOf(onlyArg) + 1]).split(',') : null;

/** @type {import('esbuild').BuildOptions} */
const common = {
  bundle: true,
  sourcemap: production ? false : 'linked',
  minify: production,
  // NOTE: class names stay readable (`print(model)` shows them, as PyTorch's module repr does).
  keepNames: true,
  logLevel: 'warning',
  absWorkingDir: root,
  target: 'es2022',
};

/** esbuild targets: each a list of builds. */
/** @type {Record<string, (import('esbuild').BuildOptions & { entryPoints: string[] })[]>} */
const bundles = {
  extension: [{ ...common, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode', 'esbuild'] }],
  runner: [{ ...common, entryPoints: ['src/runner/runScript.ts'], outfile: 'dist/runner.js', platform: 'node', format: 'cjs', external: ['esbuild'] }],
  worker: [{ ...common, entryPoints: ['src/runner/worker.ts'], outfile: 'dist/worker.js', platform: 'node', format: 'cjs', external: ['esbuild'] }],
  cli: [{ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', external: ['esbuild'], banner: { js: '#!/usr/bin/env node' } }],
  webview: [{ ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife' }],
  layout: [{ ...common, entryPoints: ['webview/layout/layoutWorker.ts'], outfile: 'dist/layoutWorker.js', platform: 'browser', format: 'iife' }],
  lib: [
    { ...common, entryPoints: ['src/lib/index.ts'], outfile: 'dist/lib/index.js', platform: 'neutral', format: 'cjs', mainFields: ['module', 'main'] },
    { ...common, entryPoints: ['src/lib/index.ts'], outfile: 'dist/lib/index.mjs', platform: 'neutral', format: 'esm', mainFields: ['module', 'main'] },
  ],
  // tsserver hands the plugin its own `typescript`; only types are imported from it.
  tsPlugin: [{ ...common, entryPoints: ['src/extension/tsPlugin/plugin.ts'], outfile: 'dist/tsPlugin.js', platform: 'node', format: 'cjs', external: ['typescript'] }],
};

/**
 * The declarations, in a worker thread: the type checker takes seconds of CPU, which then overlap
 * esbuild's own process instead of following it.
 */
function emitTypes() {
  const moduleUrl = pathToFileURL(path.join(root, 'scripts/build-types.mjs')).href;
  const source = `const { parentPort, workerData } = require('node:worker_threads');
import(${JSON.stringify(moduleUrl)}).then((m) => m.emitDeclarations(workerData)).then((written) => parentPort.postMessage(written));`;
  return new Promise((resolve, reject) => {
    const worker = new Worker(source, { eval: true, workerData: { production } });
    worker.once('message', resolve);
    worker.once('error', reject);
    worker.once('exit', (code) => reject(new Error(`build types: the worker exited (code ${code}) before emitting`)));
  });
}

/** @type {Record<string, () => Promise<unknown>>} */
const targets = {
  ...Object.fromEntries(Object.entries(bundles).map(([name, builds]) => [name, () => Promise.all(builds.map((b) => esbuild.build(b)))])),
  types: emitTypes,
};

const names = only ?? Object.keys(targets);
for (const name of names) {
  if (!targets[name]) throw new Error(`unknown build target ${name} (known: ${Object.keys(targets).join(', ')})`);
  for (const b of bundles[name] ?? []) {
    for (const e of b.entryPoints) {
      if (!fs.existsSync(path.join(root, e))) throw new Error(`build ${name}: entry ${e} does not exist`);
    }
  }
}
const t0 = Date.now();
await Promise.all(names.map((name) => targets[name]()));
if (fs.existsSync(path.join(root, 'dist/cli.js'))) fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
console.log(`built ${names.join(', ')} in ${Date.now() - t0} ms${production ? ' (production)' : ''}`);
