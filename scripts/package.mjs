// `npm run package`: the production build, then gradscope.vsix for the platform this runs on.
//
// NOTE [Platform-specific .vsix]: the extension bundles the user's script with esbuild, whose
// native binary (node_modules/@esbuild/<platform>-<arch>) goes into the .vsix — so a .vsix works on
// one platform only. vsce's `--target` records which one, and the Marketplace hands each user the
// .vsix of their platform. npm installs only the binary of the machine it runs on, so each platform's
// .vsix is packaged on that platform: a CI matrix (linux-x64, linux-arm64, darwin-x64, darwin-arm64,
// win32-x64, win32-arm64, alpine-x64) runs `npm ci && npm run package` and publishes each result
// with `vsce publish --packagePath gradscope.vsix`.
//
// Usage: node scripts/package.mjs [--out gradscope.vsix]
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const outArg = process.argv.indexOf('--out');
const out = path.resolve(root, outArg >= 0 ? process.argv[outArg + 1] : 'gradscope.vsix');

/** musl (Alpine) is a target of its own for vsce; esbuild's linux binary is static and runs there too. */
function isMusl() {
  if (process.platform !== 'linux') return false;
  const header = /** @type {{ header?: { glibcVersionRuntime?: string } }} */ (process.report.getReport());
  return !header.header?.glibcVersionRuntime;
}

/** vsce's name for this platform, and the esbuild package holding its binary. */
function hostTarget() {
  const esbuildPackage = `@esbuild/${process.platform}-${process.arch}`;
  const arch = process.arch === 'arm' ? 'armhf' : process.arch;
  const platform = isMusl() ? 'alpine' : process.platform;
  return { target: `${platform}-${arch}`, esbuildPackage };
}

function run(command, args) {
  console.log(`$ ${[path.relative(root, command) || command, ...args].join(' ')}`);
  const r = spawnSync(command, args, { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) {
    console.error(`package: ${path.basename(command)} failed (${r.status ?? r.signal})`);
    process.exit(1);
  }
}

const { target, esbuildPackage } = hostTarget();
if (!fs.existsSync(path.join(root, 'node_modules', esbuildPackage, 'package.json'))) {
  console.error(`package: ${esbuildPackage} (esbuild's binary for ${target}) is not installed: run \`npm ci\` on this platform.`);
  process.exit(1);
}

run(process.execPath, [path.join(root, 'scripts/build.mjs'), '--production']);

const require = createRequire(import.meta.url);
const vsceManifest = require.resolve('@vscode/vsce/package.json');
const vsce = path.join(path.dirname(vsceManifest), /** @type {{ bin: Record<string, string> }} */ (require(vsceManifest)).bin.vsce);
// --follow-symlinks: npm links the plugin package (node_modules/gradscope-ts-plugin) to
// src/extension/tsPlugin/package instead of copying it.
run(process.execPath, [vsce, 'package', '--follow-symlinks', '--target', target, '--out', out]);

console.log(`${path.relative(root, out)}: ${(fs.statSync(out).size / 1024).toFixed(0)} KB, for ${target}`);
