/**
 * `renderStandaloneHtml(snapshot)`: the offline HTML export (extension command, CLI `--html`).
 * Reads the built page assets from the extension's folder (dist/ and media/) unless given them.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { GraphSnapshot } from '../protocol/snapshot';
import { makeNonce } from './pageTemplate';
import { encodeSnapshotJson } from '../protocol/snapshotJson';
import { buildStandaloneHtml, type StandaloneAssets } from './standaloneTemplate';

export type { StandaloneAssets } from './standaloneTemplate';

export interface StandaloneHtmlOptions {
  /** The page assets; default: read from `root`. */
  assets?: StandaloneAssets;
  /** The extension's folder (holding dist/ and media/); default: found from this module's location. */
  root?: string;
  title?: string;
  nonce?: string;
}

/** The folder holding Gradscope's package.json, searched upwards from `start`. */
export function findPackageRoot(start: string): string {
  let dir = start;
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (fs.existsSync(pkg)) {
      try {
        if ((JSON.parse(fs.readFileSync(pkg, 'utf8')) as { name?: string }).name === 'gradscope') return dir;
      } catch {
        // not ours; keep looking
      }
    }
    const up = path.dirname(dir);
    if (up === dir) throw new Error(`Gradscope: no package.json of gradscope above ${start}`);
    dir = up;
  }
}

export function loadStandaloneAssets(root: string): StandaloneAssets {
  const read = (rel: string): string => {
    const file = path.join(root, rel);
    if (!fs.existsSync(file)) throw new Error(`Gradscope: ${rel} is missing in ${root} (build it: node scripts/build.mjs --only webview,layout)`);
    return fs.readFileSync(file, 'utf8');
  };
  return { script: read('dist/webview.js'), layoutWorker: read('dist/layoutWorker.js'), style: read('media/graph.css') };
}

export function renderStandaloneHtml(snapshot: GraphSnapshot, options: StandaloneHtmlOptions = {}): string {
  const assets = options.assets ?? loadStandaloneAssets(options.root ?? findPackageRoot(__dirname));
  const title = options.title ?? `Gradscope graph: ${path.basename(snapshot.file)}`;
  return buildStandaloneHtml(encodeSnapshotJson(snapshot), assets, options.nonce ?? makeNonce(), title);
}
