/**
 * The library on its own: `npm pack` the repository, install the tarball into an empty folder
 * (nothing else installed: no TypeScript, no tsx, no @types), and use it as a user would — a
 * TypeScript script through `npx gradscope run`, an ES module and a CommonJS script with plain node,
 * and a type check against the installed declarations. Each script is the autograd tutorial, whose
 * output must be what PyTorch printed for it (the oracle's recorded stdout).
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as esbuild from 'esbuild';
import { build, oracleProgram, root } from '../runner/support';
import { checkAllowList, optional, required } from './allowList';
import { mustRun, run, tsc } from './npmTools';

/** What the npm package may hold: the library, its declarations and the CLI (see .npmignore). */
const NPM_ALLOW_LIST = [
  required('package.json'),
  required('README.md'),
  required('LICENSE'),
  required('CHANGELOG.md'),
  required('dist/lib/index.js'),
  required('dist/lib/index.mjs'),
  required('dist/types/index.d.ts'),
  optional('dist/types/**/*.d.ts'),
  required('dist/cli.js'),
  required('dist/worker.js'),
  // Bundled (package.json's bundledDependencies): the extension's tsserver plugin, two small files,
  // which npm cannot fetch from a registry.
  required('node_modules/gradscope-ts-plugin/package.json'),
  required('node_modules/gradscope-ts-plugin/index.js'),
];

const tutorialSource = path.join(root, 'examples/autograd-tutorial.ts');

/** PyTorch's output for the tutorial, as a script printing with console.log shows it. */
function expectedTutorialOutput(): string {
  // console.log prints JavaScript booleans (`true`); Python prints `True`.
  return oracleProgram('tutorial/autograd_printed_output').stdout.replace(/^True$/gm, 'true').replace(/^False$/gm, 'false');
}

/** PyTorch prints `<AddBackward0 object at 0x7f...>`; the oracle stores the address as 0xADDRESS. */
function normalizeAddresses(text: string): string {
  return text.replace(/ object at 0x[0-9a-fA-F]+>/g, ' object at 0xADDRESS>');
}

interface PackResult {
  filename: string;
  size: number;
  unpackedSize: number;
  files: { path: string }[];
}

describe('npm package: the library on its own', function () {
  // npm install may fetch esbuild (~10 MB) from the registry on a cold cache.
  this.timeout(240_000);
  let tmp: string;
  let app: string;
  let packed: PackResult;

  before(() => {
    build('lib,cli,worker,types');
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'gradscope-npm-'));
    // --ignore-scripts: pack what was just built, without any lifecycle script rebuilding it.
    const pack = mustRun('npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], root);
    [packed] = JSON.parse(pack.stdout) as PackResult[];
    app = path.join(tmp, 'app');
    fs.mkdirSync(app);
    fs.writeFileSync(path.join(app, 'package.json'), `${JSON.stringify({ name: 'consumer', version: '1.0.0', private: true }, null, 2)}\n`);
    // --prefer-offline: the registry is asked only for what the npm cache lacks (esbuild, once).
    mustRun('npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', path.join(tmp, packed.filename)], app, 180_000);
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('holds only the library, its declarations and the CLI', () => {
    const files = packed.files.map((f) => f.path);
    const { strays, missing } = checkAllowList(files, NPM_ALLOW_LIST);
    assert.deepEqual(strays, [], 'files the npm package must not hold (.npmignore)');
    assert.deepEqual(missing, [], 'files the npm package lacks');
    const declarations = files.filter((f) => f.startsWith('dist/types/')).length;
    assert.ok(declarations > 10, `only ${declarations} declaration files`);
    console.log(`      ${packed.filename}: ${(packed.size / 1024).toFixed(0)} KB packed, ${(packed.unpackedSize / 1024).toFixed(0)} KB unpacked, ${files.length} files`);
  });

  it('installs with its runtime dependencies only', () => {
    const manifest = JSON.parse(fs.readFileSync(path.join(app, 'node_modules/gradscope/package.json'), 'utf8')) as { dependencies: Record<string, string> };
    for (const dependency of Object.keys(manifest.dependencies)) {
      assert.ok(fs.existsSync(path.join(app, 'node_modules/gradscope/node_modules', dependency, 'package.json'))
        || fs.existsSync(path.join(app, 'node_modules', dependency, 'package.json')), `${dependency} is not installed`);
    }
    // The bundled plugin stays inside the package instead of becoming the user's dependency.
    assert.ok(!fs.existsSync(path.join(app, 'node_modules/gradscope-ts-plugin')), 'gradscope-ts-plugin was hoisted into the user\'s node_modules');
  });

  it('runs a TypeScript script with `npx gradscope run`', () => {
    fs.copyFileSync(tutorialSource, path.join(app, 'tutorial.ts'));
    const r = run('npx', ['--no-install', 'gradscope', 'run', 'tutorial.ts'], app);
    assert.equal(r.code, 0, r.stderr);
    assert.equal(normalizeAddresses(r.stdout), expectedTutorialOutput());
    assert.equal(r.stderr, '');
  });

  for (const [format, file] of [['esm', 'tutorial.mjs'], ['cjs', 'tutorial.cjs']] as const) {
    it(`runs the tutorial as ${format === 'esm' ? 'an ES module (import)' : 'CommonJS (require)'} with plain node`, () => {
      // The same program with its types stripped: `import * as torch from 'gradscope'` stays an
      // import (resolved through `exports` to dist/lib/index.mjs) or becomes a require (index.js).
      const { code } = esbuild.transformSync(fs.readFileSync(tutorialSource, 'utf8'), { loader: 'ts', format });
      assert.match(code, format === 'esm' ? /from "gradscope"/ : /require\("gradscope"\)/);
      fs.writeFileSync(path.join(app, file), code);
      const r = run(process.execPath, [file], app);
      assert.equal(r.code, 0, r.stderr);
      assert.equal(normalizeAddresses(r.stdout), expectedTutorialOutput());
    });
  }

  it('typechecks against the installed declarations, under each module resolution', () => {
    // Deliberate misuses, each with @ts-expect-error: if `gradscope` resolved to `any` (or did not
    // resolve), the directives would be unused and tsc would fail.
    fs.writeFileSync(path.join(app, 'typed.ts'), [
      "import * as torch from 'gradscope';",
      'const w: torch.Tensor = torch.randn([5, 3], { requiresGrad: true });',
      'const loss = torch.nn.functional.mseLoss(w.sum(1), torch.zeros(5));',
      'loss.backward();',
      'const grad: torch.Tensor | null = w.grad;',
      'const value: number = loss.item();',
      '// @ts-expect-error: the library has no such op',
      'torch.notAnOp(w);',
      '// @ts-expect-error: a tensor is not a string',
      'const text: string = torch.ones(2);',
      'export { grad, value, text };',
      '',
    ].join('\n'));
    fs.copyFileSync(tutorialSource, path.join(app, 'tutorial.ts'));
    // No DOM lib and no @types/node (a bare folder has neither): the declarations must not need
    // them, and the tutorial's console is declared here.
    fs.writeFileSync(path.join(app, 'console.d.ts'), 'declare const console: { log(...data: unknown[]): void };\n');
    // One project per module resolution a user may have. `exports` serves nodenext and bundler;
    // node10 reads the top-level `types`. Checking the declarations themselves (skipLibCheck: false)
    // once is enough. `tsc -b` builds the three in one process that parses each file once.
    const projects = [['nodenext', 'nodenext', false], ['esnext', 'bundler', true], ['commonjs', 'node10', true]] as const;
    for (const [module, moduleResolution, skipLibCheck] of projects) {
      fs.writeFileSync(path.join(app, `tsconfig.${moduleResolution}.json`), JSON.stringify({
        compilerOptions: { noEmit: true, strict: true, target: 'es2022', lib: ['es2022'], types: [], module, moduleResolution, skipLibCheck },
        files: ['typed.ts', 'tutorial.ts', 'console.d.ts'],
      }));
    }
    const r = run(process.execPath, [tsc, '-b', ...projects.map(([, resolution]) => `tsconfig.${resolution}.json`)], app);
    assert.equal(r.code, 0, `${r.stdout}${r.stderr}`);
  });
});
