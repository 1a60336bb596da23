/** Running npm, npx and the repository's own tools from the package tests. */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { root } from '../runner/support';

export interface CommandResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** npm settings a nested npm may need (registry, cache, proxies, certificates). */
const PASSED_NPM_SETTINGS = /^npm_config_(registry|cache|userconfig|globalconfig|cafile|ca|proxy|https_proxy|noproxy|strict_ssl)$/i;

/**
 * The environment without the `npm_*` variables an enclosing `npm test` exports (its package, its
 * lifecycle event, `npm_config_local_prefix` = this repository...), so that a nested npm acts on the
 * folder it runs in as it would in a user's shell.
 */
export function userShellEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) || PASSED_NPM_SETTINGS.test(key)) env[key] = value;
  }
  env.npm_config_update_notifier = 'false';
  return env;
}

export function run(command: string, args: readonly string[], cwd: string, timeoutMs = 120_000): CommandResult {
  const r = spawnSync(command, args, { cwd, encoding: 'utf8', env: userShellEnv(), timeout: timeoutMs });
  if (r.error) throw r.error;
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Fails with the command's output when it did not exit with 0. */
export function mustRun(command: string, args: readonly string[], cwd: string, timeoutMs?: number): CommandResult {
  const r = run(command, args, cwd, timeoutMs);
  if (r.code !== 0) {
    throw new Error(`\`${command} ${args.join(' ')}\` in ${cwd} exited with ${r.code}\n${r.stdout}\n${r.stderr}`);
  }
  return r;
}

/** The repository's TypeScript compiler, run on a folder (it reads that folder's node_modules). */
export const tsc = path.join(root, 'node_modules/typescript/bin/tsc');

/** The repository's vsce. */
export const vsce = path.join(root, 'node_modules/@vscode/vsce/vsce');

/** esbuild's package holding the native binary of this platform (what npm installed here). */
export const hostEsbuildPackage = `@esbuild/${process.platform}-${process.arch}`;
