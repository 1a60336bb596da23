// Builds every bundle with esbuild. Usage: node scripts/build.mjs [--production] [--only name,name]
//   extension  dist/extension.js   VS Code extension host (Node, CJS, `vscode` external)
//   worker     dist/worker.js      runs one user script in a worker_threads Worker (includes the library)
//   cli        dist/cli.js         `gradscope run file.ts` without VS Code
//   webview    dist/webview.js     the graph page (browser IIFE: Cytoscape + our UI)
//   layout     dist/layoutWorker.js  the graph layout, run in a Web Worker off the UI thread
//   lib        dist/lib/index.js / index.mjs  the library on its own (`exports` of package.json)
import * as esbuild from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const production = process.argv.includes('--production');
const onlyArg = process.argv.find((a) => a.startsWith('--only'));
const only = onlyArg ? (onlyArg.includes('=') ? onlyArg.split('=')[1] : process.argv[process.argv.indexOf(onlyArg) + 1]).split(',') : null;

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

/** @type {Record<string, import('esbuild').BuildOptions[]>} */
const targets = {
  extension: [{ ...common, entryPoints: ['src/extension/main.ts'], outfile: 'dist/extension.js', platform: 'node', format: 'cjs', external: ['vscode', 'esbuild'] }],
  worker: [{ ...common, entryPoints: ['src/runner/worker.ts'], outfile: 'dist/worker.js', platform: 'node', format: 'cjs', external: ['esbuild'] }],
  cli: [{ ...common, entryPoints: ['src/cli/main.ts'], outfile: 'dist/cli.js', platform: 'node', format: 'cjs', external: ['esbuild'], banner: { js: '#!/usr/bin/env node' } }],
  webview: [{ ...common, entryPoints: ['webview/main.ts'], outfile: 'dist/webview.js', platform: 'browser', format: 'iife' }],
  layout: [{ ...common, entryPoints: ['webview/layout/layoutWorker.ts'], outfile: 'dist/layoutWorker.js', platform: 'browser', format: 'iife' }],
  lib: [
    { ...common, entryPoints: ['src/lib/index.ts'], outfile: 'dist/lib/index.js', platform: 'neutral', format: 'cjs', mainFields: ['module', 'main'] },
    { ...common, entryPoints: ['src/lib/index.ts'], outfile: 'dist/lib/index.mjs', platform: 'neutral', format: 'esm', mainFields: ['module', 'main'] },
  ],
};

const names = only ?? Object.keys(targets);
const t0 = Date.now();
await Promise.all(names.map(async (name) => {
  const builds = targets[name];
  if (!builds) throw new Error(`unknown build target ${name}`);
  for (const b of builds) {
    for (const e of b.entryPoints) {
      if (!fs.existsSync(path.join(root, e))) throw new Error(`build ${name}: entry ${e} does not exist`);
    }
    await esbuild.build(b);
  }
}));
if (fs.existsSync(path.join(root, 'dist/cli.js'))) fs.chmodSync(path.join(root, 'dist/cli.js'), 0o755);
console.log(`built ${names.join(', ')} in ${Date.now() - t0} ms${production ? ' (production)' : ''}`);
