/**
 * What the .vsix holds: `vsce ls` (the file list `vsce package` zips) against an allow-list, so
 * that a source, a test, a source map or a node_modules file the extension does not load fails
 * here; and the manifest's Marketplace fields and the files it names.
 */
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { build, root } from '../runner/support';
import { checkAllowList, optional, required, type AllowEntry } from './allowList';
import { hostEsbuildPackage, mustRun, vsce } from './npmTools';

/** Every file the extension loads at run time, and the Marketplace's pages. */
const VSIX_ALLOW_LIST: AllowEntry[] = [
  required('package.json'),
  required('README.md'),
  required('LICENSE'),
  required('CHANGELOG.md'),
  // The extension host's bundles (main, the lazily loaded runner, the script worker), the webview
  // page and its layout worker, the tsserver plugin and the declarations it resolves `gradscope` to.
  required('dist/extension.js'),
  required('dist/runner.js'),
  required('dist/worker.js'),
  required('dist/webview.js'),
  required('dist/layoutWorker.js'),
  required('dist/tsPlugin.js'),
  required('dist/types/index.d.ts'),
  optional('dist/types/**/*.d.ts'),
  required('media/icon.png'),
  required('media/activity-icon.svg'),
  required('media/graph.css'),
  // The tutorial the walkthrough copies into the workspace, and the walkthrough's pages.
  required('examples/autograd-tutorial.ts'),
  required('src/extension/walkthrough/*.md'),
  // tsserver loads plugins from the extension's node_modules only.
  required('node_modules/gradscope-ts-plugin/package.json'),
  required('node_modules/gradscope-ts-plugin/index.js'),
  // esbuild bundles the user's script: its JS API and this platform's binary.
  required('node_modules/esbuild/package.json'),
  required('node_modules/esbuild/lib/main.js'),
  required(`node_modules/${hostEsbuildPackage}/package.json`),
  required(`node_modules/${hostEsbuildPackage}/${process.platform === 'win32' ? 'esbuild.exe' : 'bin/esbuild'}`),
];

interface Manifest {
  main: string;
  icon: string;
  license: string;
  repository?: { url: string };
  categories?: string[];
  keywords?: string[];
  galleryBanner?: { color: string; theme: string };
  contributes: {
    viewsContainers?: Record<string, { icon: string }[]>;
    walkthroughs?: { steps: { media: { markdown?: string; image?: string } }[] }[];
  };
}

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8')) as Manifest;

/** The files package.json names, which VS Code or the Marketplace open from the installed extension. */
function filesTheManifestNames(): string[] {
  const named = [manifest.main, manifest.icon];
  for (const containers of Object.values(manifest.contributes.viewsContainers ?? {})) {
    for (const c of containers) named.push(c.icon);
  }
  for (const w of manifest.contributes.walkthroughs ?? []) {
    for (const s of w.steps) named.push(...[s.media.markdown, s.media.image].filter((f): f is string => f !== undefined));
  }
  return named.map((f) => path.posix.normalize(f));
}

/** Width and height from a PNG's IHDR chunk. */
function pngSize(file: string): { width: number; height: number } {
  const bytes = fs.readFileSync(file);
  assert.equal(bytes.subarray(1, 4).toString('latin1'), 'PNG', `${file} is not a PNG`);
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
}

describe('the .vsix', function () {
  this.timeout(120_000);
  let listed: string[];

  before(() => {
    build('extension,runner,worker,webview,layout,tsPlugin,types');
    // --follow-symlinks: npm links node_modules/gradscope-ts-plugin to src/extension/tsPlugin/package.
    const r = mustRun(process.execPath, [vsce, 'ls', '--follow-symlinks'], root);
    listed = r.stdout.split('\n').map((l) => l.trim()).filter((l) => l.length > 0);
  });

  it('holds only what the extension loads (vsce ls against the allow-list)', () => {
    const { strays, missing } = checkAllowList(listed, VSIX_ALLOW_LIST);
    assert.deepEqual(strays, [], 'files the .vsix must not hold (.vscodeignore)');
    assert.deepEqual(missing, [], 'files the .vsix lacks');
    const declarations = fs.readdirSync(path.join(root, 'dist/types'), { recursive: true }).map(String)
      .filter((f) => f.endsWith('.d.ts')).map((f) => `dist/types/${f.split(path.sep).join('/')}`);
    assert.deepEqual(listed.filter((f) => f.startsWith('dist/types/')).sort(), declarations.sort(), 'every declaration file, and only those');
  });

  it('holds every file package.json names', () => {
    for (const file of filesTheManifestNames()) assert.ok(listed.includes(file), `${file} (named in package.json) is not in the .vsix`);
  });

  it('has the Marketplace fields and files', () => {
    assert.ok(manifest.repository?.url.startsWith('https://'), 'repository');
    assert.ok((manifest.categories ?? []).length > 0, 'categories');
    assert.ok((manifest.keywords ?? []).length > 0, 'keywords');
    assert.match(manifest.galleryBanner?.color ?? '', /^#[0-9a-fA-F]{6}$/, 'galleryBanner.color');
    assert.ok(['dark', 'light'].includes(manifest.galleryBanner?.theme ?? ''), 'galleryBanner.theme');
    assert.equal(manifest.license, 'MIT');
    assert.match(fs.readFileSync(path.join(root, 'LICENSE'), 'utf8'), /^MIT License/);
    // The Marketplace wants an icon of at least 128×128 pixels.
    const icon = pngSize(path.join(root, manifest.icon));
    assert.ok(icon.width >= 128 && icon.height >= 128, `icon is ${icon.width}×${icon.height}`);
  });
});
