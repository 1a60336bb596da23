#!/usr/bin/env node
// Stand-in for the code-server binary that starts it with Workspace Trust ON, so the workspace
// opens in restricted mode. The shared recipe always passes --disable-workspace-trust and writes
// `security.workspace.trust.enabled: false` into the profile (right for every other test); this
// drops the flag and turns trust on in that profile, without a startup prompt.
// Env: GRADSCOPE_REAL_CODE_SERVER_BIN  the real code-server.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const real = process.env.GRADSCOPE_REAL_CODE_SERVER_BIN;
if (!real) {
  console.error('restrictedCodeServer: set GRADSCOPE_REAL_CODE_SERVER_BIN');
  process.exit(2);
}
const args = process.argv.slice(2).filter((a) => a !== '--disable-workspace-trust');
const userDataDir = args[args.indexOf('--user-data-dir') + 1];
if (args.includes('--user-data-dir') && userDataDir) {
  const settingsFile = path.join(userDataDir, 'User', 'settings.json');
  const settings = fs.existsSync(settingsFile) ? JSON.parse(fs.readFileSync(settingsFile, 'utf8')) : {};
  Object.assign(settings, {
    'security.workspace.trust.enabled': true,
    'security.workspace.trust.startupPrompt': 'never',
    'security.workspace.trust.emptyWindow': false,
  });
  fs.mkdirSync(path.dirname(settingsFile), { recursive: true });
  fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
}
const child = spawn(real, args, { stdio: 'inherit' });
for (const signal of ['SIGTERM', 'SIGINT']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
