// @ts-check
// Entry of the `gradscope-ts-plugin` package that tsserver loads (contributes.typescriptServerPlugins).
// The plugin itself is bundled to <extension>/dist/tsPlugin.js; this folder is reached either as
// <extension>/node_modules/gradscope-ts-plugin (inside the .vsix) or through npm's symlink to
// src/extension/tsPlugin/package (in the repository), so find the extension root by walking up.
'use strict';
const fs = require('node:fs');
const path = require('node:path');

function findPluginBundle() {
  for (let dir = __dirname; ; dir = path.dirname(dir)) {
    const candidate = path.join(dir, 'dist', 'tsPlugin.js');
    if (fs.existsSync(candidate)) return candidate;
    if (path.dirname(dir) === dir) throw new Error(`gradscope-ts-plugin: dist/tsPlugin.js not found above ${__dirname}`);
  }
}

// tsserver calls the package's export: the bundle's default export (an ES module compiled to CommonJS).
const bundle = require(findPluginBundle());
module.exports = bundle.default ?? bundle;
