// Unit tests of server resolution: `node --test out/test/*.test.js`.
//
// Each test builds its own temp directory of fake executables. The Windows
// cases run on any OS: `platform: 'win32'` switches the naming rules (`.exe`,
// PATHEXT, `;` in PATH, no executable bit) while the files stay on the real
// file system.

import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';

import {
  bundledServerPath,
  ensureBundledExecutable,
  executableName,
  expandHome,
  findOnPath,
  needsShell,
  pathExtensions,
  resolveServerPath,
  ServerResolution,
} from '../serverPath';

const posixOnly = process.platform === 'win32' ? { skip: 'needs POSIX permission bits' } : {};

let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'asl-lint-vscode-test-'));
});

afterEach(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** Creates `rel` under the temp root (with parents) and returns its absolute path. */
function file(rel: string, mode = 0o755): string {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, '#!/bin/sh\nexit 0\n');
  fs.chmodSync(p, mode);
  return p;
}

function dir(rel: string): string {
  const p = path.join(root, rel);
  fs.mkdirSync(p, { recursive: true });
  return p;
}

function found(r: ServerResolution): { path: string; source: string } {
  assert.equal(r.kind, 'found', `expected a server, got ${JSON.stringify(r)}`);
  if (r.kind !== 'found') {
    throw new Error('unreachable');
  }
  return { path: r.path, source: r.source };
}

const linux = { platform: 'linux' as NodeJS.Platform };
const win = { platform: 'win32' as NodeJS.Platform };

describe('naming', () => {
  it('adds .exe on Windows only', () => {
    assert.equal(executableName('linux'), 'asl-lint');
    assert.equal(executableName('darwin'), 'asl-lint');
    assert.equal(executableName('win32'), 'asl-lint.exe');
    assert.equal(bundledServerPath('/ext', 'linux'), path.join('/ext', 'bundled', 'asl-lint'));
  });

  it('expands ~ and ${userHome}', () => {
    assert.equal(expandHome('~', '/home/u'), '/home/u');
    assert.equal(expandHome('~/bin/asl-lint', '/home/u'), path.join('/home/u', 'bin/asl-lint'));
    assert.equal(expandHome('${userHome}/bin/asl-lint', '/home/u'), '/home/u/bin/asl-lint');
    assert.equal(expandHome('/opt/~/asl-lint', '/home/u'), '/opt/~/asl-lint');
    assert.equal(expandHome('~other/asl-lint', '/home/u'), '~other/asl-lint');
  });

  it('reads PATHEXT case-insensitively, with a default', () => {
    assert.deepEqual(pathExtensions({ PathExt: '.EXE;.Cmd;;junk' }), ['.exe', '.cmd']);
    assert.deepEqual(pathExtensions({}), ['.com', '.exe', '.bat', '.cmd']);
  });

  it('needs a shell only for Windows batch files', () => {
    assert.equal(needsShell('C:\\x\\asl-lint.cmd', 'win32'), true);
    assert.equal(needsShell('C:\\x\\asl-lint.BAT', 'win32'), true);
    assert.equal(needsShell('C:\\x\\asl-lint.exe', 'win32'), false);
    assert.equal(needsShell('/x/asl-lint.cmd', 'linux'), false);
  });
});

describe('resolveServerPath on POSIX', posixOnly, () => {
  it('prefers the setting over the bundled binary and PATH', () => {
    const configured = file('custom/asl-lint-dev');
    const ext = dir('ext');
    file('ext/bundled/asl-lint');
    const bin = dir('bin');
    file('bin/asl-lint');
    const r = resolveServerPath({ ...linux, setting: configured, extensionPath: ext, env: { PATH: bin } });
    assert.deepEqual(found(r), { path: configured, source: 'setting' });
  });

  it('ignores surrounding whitespace and treats a blank setting as unset', () => {
    const configured = file('custom/asl-lint');
    const r1 = resolveServerPath({ ...linux, setting: `  ${configured}  `, extensionPath: dir('ext'), env: {} });
    assert.deepEqual(found(r1), { path: configured, source: 'setting' });

    const bin = dir('bin');
    const onPath = file('bin/asl-lint');
    const r2 = resolveServerPath({ ...linux, setting: '   ', extensionPath: dir('ext'), env: { PATH: bin } });
    assert.deepEqual(found(r2), { path: onPath, source: 'path' });
  });

  it('expands ~ in the setting', () => {
    const home = dir('home');
    const inHome = file('home/.cargo/bin/asl-lint');
    const r = resolveServerPath({ ...linux, setting: '~/.cargo/bin/asl-lint', homedir: home, extensionPath: dir('ext'), env: {} });
    assert.deepEqual(found(r), { path: inHome, source: 'setting' });
  });

  it('resolves a relative setting against the workspace folder', () => {
    const ws = dir('ws');
    const local = file('ws/target/debug/asl-lint');
    const r = resolveServerPath({ ...linux, setting: 'target/debug/asl-lint', workspaceFolder: ws, extensionPath: dir('ext'), env: {} });
    assert.deepEqual(found(r), { path: local, source: 'setting' });

    const r2 = resolveServerPath({ ...linux, setting: './target/debug/asl-lint', workspaceFolder: ws, extensionPath: dir('ext'), env: {} });
    assert.deepEqual(found(r2), { path: local, source: 'setting' });
  });

  it('substitutes ${workspaceFolder}', () => {
    const ws = dir('ws');
    const local = file('ws/target/release/asl-lint');
    const r = resolveServerPath({
      ...linux,
      setting: '${workspaceFolder}/target/release/asl-lint',
      workspaceFolder: ws,
      extensionPath: dir('ext'),
      env: {},
    });
    assert.deepEqual(found(r), { path: local, source: 'setting' });
  });

  it('rejects ${workspaceFolder} and relative paths when no folder is open', () => {
    const r = resolveServerPath({ ...linux, setting: '${workspaceFolder}/asl-lint', extensionPath: dir('ext'), env: {} });
    assert.equal(r.kind, 'invalidSetting');
    const r2 = resolveServerPath({ ...linux, setting: 'target/debug/asl-lint', extensionPath: dir('ext'), env: {} });
    assert.equal(r2.kind, 'invalidSetting');
    assert.match(r2.kind === 'invalidSetting' ? r2.reason : '', /no workspace folder/);
  });

  it('looks a bare command name in the setting up on PATH', () => {
    const bin = dir('bin');
    const dev = file('bin/asl-lint-nightly');
    const r = resolveServerPath({ ...linux, setting: 'asl-lint-nightly', workspaceFolder: dir('ws'), extensionPath: dir('ext'), env: { PATH: bin } });
    assert.deepEqual(found(r), { path: dev, source: 'setting' });
  });

  it('does not fall back when the setting names nothing runnable', () => {
    const ext = dir('ext');
    file('ext/bundled/asl-lint');
    const bin = dir('bin');
    file('bin/asl-lint');
    const missing = path.join(root, 'nope', 'asl-lint');
    const r = resolveServerPath({ ...linux, setting: missing, extensionPath: ext, env: { PATH: bin } });
    assert.equal(r.kind, 'invalidSetting');
    if (r.kind === 'invalidSetting') {
      assert.equal(r.setting, missing);
      assert.equal(r.reason, 'no such file');
      assert.deepEqual(r.tried, [missing]);
    }
  });

  it('says why: not executable, or a directory', () => {
    const plain = file('custom/asl-lint', 0o644);
    const r = resolveServerPath({ ...linux, setting: plain, extensionPath: dir('ext'), env: {} });
    assert.equal(r.kind === 'invalidSetting' ? r.reason : r.kind, 'the file is not executable');

    const folder = dir('custom/folder');
    const r2 = resolveServerPath({ ...linux, setting: folder, extensionPath: dir('ext'), env: {} });
    assert.equal(r2.kind === 'invalidSetting' ? r2.reason : r2.kind, 'it is a directory, not a program');
  });

  it('uses the bundled binary before PATH', () => {
    const ext = dir('ext');
    const bundled = file('ext/bundled/asl-lint');
    const bin = dir('bin');
    file('bin/asl-lint');
    const r = resolveServerPath({ ...linux, extensionPath: ext, env: { PATH: bin } });
    assert.deepEqual(found(r), { path: bundled, source: 'bundled' });
  });

  it('skips a bundled file that is not executable', () => {
    const ext = dir('ext');
    file('ext/bundled/asl-lint', 0o644);
    const bin = dir('bin');
    const onPath = file('bin/asl-lint');
    const r = resolveServerPath({ ...linux, extensionPath: ext, env: { PATH: bin } });
    assert.deepEqual(found(r), { path: onPath, source: 'path' });
  });

  it('searches PATH in order, skipping non-executables, directories, empty and relative entries', () => {
    const a = dir('a');
    file('a/asl-lint', 0o644);
    const b = dir('b');
    dir('b/asl-lint');
    const c = dir('c');
    const winner = file('c/asl-lint');
    const d = dir('d');
    file('d/asl-lint');
    // Runnable files reachable through the empty and the relative entry, which
    // resolve against the current directory: they must not be picked.
    file('asl-lint');
    file('relative/dir/asl-lint');
    const env = { PATH: ['', 'relative/dir', a, b, c, d].join(':') };
    const cwd = process.cwd();
    process.chdir(root);
    try {
      const r = resolveServerPath({ ...linux, extensionPath: dir('ext'), env });
      assert.deepEqual(found(r), { path: winner, source: 'path' });
    } finally {
      process.chdir(cwd);
    }
  });

  it('reports everything it looked at when nothing is found', () => {
    const ext = dir('ext');
    const a = dir('a');
    const b = dir('b');
    const r = resolveServerPath({ ...linux, extensionPath: ext, env: { PATH: `${a}:${b}` } });
    assert.deepEqual(r, {
      kind: 'notFound',
      tried: [path.join(ext, 'bundled', 'asl-lint'), path.join(a, 'asl-lint'), path.join(b, 'asl-lint')],
    });
  });

  it('handles a missing PATH', () => {
    const r = resolveServerPath({ ...linux, extensionPath: dir('ext'), env: {} });
    assert.equal(r.kind, 'notFound');
  });

  it('follows symlinks to executables', () => {
    const real = file('real/asl-lint');
    const bin = dir('bin');
    fs.symlinkSync(real, path.join(bin, 'asl-lint'));
    const r = resolveServerPath({ ...linux, extensionPath: dir('ext'), env: { PATH: bin } });
    assert.deepEqual(found(r), { path: path.join(bin, 'asl-lint'), source: 'path' });
  });
});

describe('ensureBundledExecutable', () => {
  const mode = (p: string): number => fs.statSync(p).mode & 0o777;

  it('restores the executable bit a .vsix lost, so the bundled binary is used', posixOnly, () => {
    const ext = dir('ext');
    const bundled = file('ext/bundled/asl-lint', 0o644);
    const bin = dir('bin');
    file('bin/asl-lint');
    assert.equal(ensureBundledExecutable(ext, 'linux'), true);
    assert.equal(mode(bundled), 0o755);
    const r = resolveServerPath({ ...linux, extensionPath: ext, env: { PATH: bin } });
    assert.deepEqual(found(r), { path: bundled, source: 'bundled' });
  });

  it('leaves an executable binary, a directory, a missing binary and Windows alone', posixOnly, () => {
    const ext = dir('ext');
    const bundled = file('ext/bundled/asl-lint', 0o750);
    assert.equal(ensureBundledExecutable(ext, 'linux'), false);
    assert.equal(mode(bundled), 0o750);

    const other = dir('other');
    const folder = dir('other/bundled/asl-lint');
    fs.chmodSync(folder, 0o600);
    assert.equal(ensureBundledExecutable(other, 'linux'), false);
    assert.equal(mode(folder), 0o600);
    fs.chmodSync(folder, 0o700);

    assert.equal(ensureBundledExecutable(dir('empty'), 'linux'), false);

    const winExt = dir('win');
    const exe = file('win/bundled/asl-lint.exe', 0o644);
    assert.equal(ensureBundledExecutable(winExt, 'win32'), false);
    assert.equal(mode(exe), 0o644);
  });
});

describe('resolveServerPath with Windows naming rules', () => {
  it('uses bundled/asl-lint.exe', () => {
    const ext = dir('ext');
    file('ext/bundled/asl-lint'); // the POSIX name does not count on Windows
    const bundled = file('ext/bundled/asl-lint.exe');
    const r = resolveServerPath({ ...win, extensionPath: ext, env: {} });
    assert.deepEqual(found(r), { path: bundled, source: 'bundled' });
  });

  it('honours PATHEXT order and the case-insensitive Path variable', () => {
    const a = dir('a');
    file('a/asl-lint'); // no extension: not runnable on Windows
    const b = dir('b');
    file('b/asl-lint.cmd');
    const bExe = file('b/asl-lint.exe');
    const env = { Path: `${a};"${b}"`, PATHEXT: '.COM;.EXE;.BAT;.CMD' };
    const r = resolveServerPath({ ...win, extensionPath: dir('ext'), env });
    assert.deepEqual(found(r), { path: bExe, source: 'path' });
  });

  it('finds a .cmd shim when PATHEXT allows it, and not otherwise', () => {
    const b = dir('b');
    const cmd = file('b/asl-lint.cmd');
    const r = resolveServerPath({ ...win, extensionPath: dir('ext'), env: { PATH: b, PATHEXT: '.EXE;.CMD' } });
    assert.deepEqual(found(r), { path: cmd, source: 'path' });
    assert.equal(findOnPath('asl-lint', { PATH: b, PATHEXT: '.EXE' }, 'win32'), undefined);
  });

  it('adds PATHEXT extensions to a setting without one', () => {
    const exe = file('tools/asl-lint.exe');
    const withoutExt = exe.slice(0, -'.exe'.length);
    const r = resolveServerPath({ ...win, setting: withoutExt, extensionPath: dir('ext'), env: {} });
    assert.deepEqual(found(r), { path: exe, source: 'setting' });
    const r2 = resolveServerPath({ ...win, setting: exe, extensionPath: dir('ext'), env: {} });
    assert.deepEqual(found(r2), { path: exe, source: 'setting' });
  });
});
