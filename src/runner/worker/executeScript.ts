/**
 * Runs the instrumented bundle in the worker's own context as a CommonJS module, with `gradscope`
 * resolving to the worker's library instance (the one the capture listens to).
 */
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import vm from 'node:vm';
import { HELPERS, IMPORT_META_URL } from '../scriptAbi';
import { WRAPPER_LINES } from './errorMapping';

export interface ScriptHelpers {
  at<T>(site: number, value: T): T;
  bind<T>(value: T, binding: number): T;
  tick(site: number): void;
}

/** The file name V8 reports for the script's frames (recognised by the stack mapping). */
export function scriptFileName(userFile: string): string {
  return `${userFile}.gradscope.js`;
}

const PARAMS = ['exports', 'require', 'module', '__filename', '__dirname', HELPERS.at, HELPERS.bind, HELPERS.tick, IMPORT_META_URL];

/** Compiles and runs `code` synchronously (what it throws propagates); returns its `module.exports`. */
export function executeScript(code: string, userFile: string, library: Record<string, unknown>, helpers: ScriptHelpers): unknown {
  const wrapperHead = `(function (${PARAMS.join(', ')}) {`;
  if (WRAPPER_LINES !== 1) throw new Error('internal: wrapper line count');
  const source = `${wrapperHead}\n${code}\n})`;
  const fn = vm.runInThisContext(source, { filename: scriptFileName(userFile) }) as (...args: unknown[]) => void;
  const nodeRequire = createRequire(userFile);
  const requireForScript = (specifier: string): unknown => {
    if (specifier === 'gradscope') return library;
    if (specifier.startsWith('gradscope/')) {
      const sub = library[specifier.slice('gradscope/'.length)];
      if (sub !== undefined && typeof sub === 'object') return sub;
    }
    return nodeRequire(specifier);
  };
  const module = { exports: {} as unknown, id: userFile, filename: userFile, loaded: false };
  fn.call(module.exports, module.exports, requireForScript, module, userFile, path.dirname(userFile),
    helpers.at, helpers.bind, helpers.tick, pathToFileURL(userFile).href);
  module.loaded = true;
  return module.exports;
}
