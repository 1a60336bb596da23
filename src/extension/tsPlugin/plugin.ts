/**
 * TypeScript server plugin: `import * as torch from 'gradscope'` resolves in any workspace, with
 * completions and no "Cannot find module", without installing anything in the user's folder.
 * When the normal module resolution finds no `gradscope` (or `gradscope/…`), the import is
 * redirected to the declarations shipped with the extension (`dist/types/`, built from src/lib
 * by scripts/build-types.mjs). A real installed copy of the package always wins.
 *
 * Bundled to dist/tsPlugin.js; tsserver loads it through the `gradscope-ts-plugin` package
 * (src/extension/tsPlugin/package), which `contributes.typescriptServerPlugins` names.
 */
import fs from 'node:fs';
import path from 'node:path';
import type * as ts from 'typescript/lib/tsserverlibrary';

const SPECIFIER = /^gradscope(?:\/(.+))?$/;

/** dist/types beside this bundle (dist/tsPlugin.js). */
const TYPES_DIR = path.join(__dirname, 'types');

/** `gradscope` → types/index.d.ts; `gradscope/nn` → types/nn.d.ts or types/nn/index.d.ts. */
function declarationFileFor(specifier: string, typesDir = TYPES_DIR): string | undefined {
  const match = SPECIFIER.exec(specifier);
  if (!match) return undefined;
  const sub = match[1];
  if (sub !== undefined && (sub.split('/').includes('..') || path.isAbsolute(sub))) return undefined;
  const candidates = sub === undefined
    ? [path.join(typesDir, 'index.d.ts')]
    : [path.join(typesDir, `${sub}.d.ts`), path.join(typesDir, sub, 'index.d.ts')];
  return candidates.find((f) => fs.existsSync(f));
}

function init(modules: { typescript: typeof ts }): ts.server.PluginModule {
  const typescript = modules.typescript;

  function create(info: ts.server.PluginCreateInfo): ts.LanguageService {
    const host = info.languageServiceHost;
    const log = (message: string): void => info.project.projectService.logger.info(`[gradscope-ts-plugin] ${message}`);
    const original = host.resolveModuleNameLiterals?.bind(host);
    if (!original) {
      log('this TypeScript has no resolveModuleNameLiterals: not redirecting `gradscope`');
      return info.languageService;
    }
    log(`redirecting unresolved 'gradscope' imports to ${TYPES_DIR}`);
    host.resolveModuleNameLiterals = (literals, containingFile, redirectedReference, options, containingSourceFile, reusedNames) => {
      const resolved = original(literals, containingFile, redirectedReference, options, containingSourceFile, reusedNames);
      return resolved.map((r, i) => {
        if (r.resolvedModule) return r;
        const file = declarationFileFor(literals[i].text);
        if (!file) return r;
        return {
          ...r,
          resolvedModule: { resolvedFileName: file, extension: typescript.Extension.Dts, isExternalLibraryImport: true },
        };
      });
    };
    return info.languageService;
  }

  return { create };
}

// tsserver requires the package and calls what it exports; package/index.js unwraps this default.
export default init;
