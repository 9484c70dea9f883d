// Finds the `asl-lint` program that runs the language server.
//
// This module does not import `vscode`: everything it needs (the setting, the
// folders, the environment, the platform) is passed in, so it runs under
// `node --test` on its own.

import * as fs from 'fs';
import * as os from 'os';
import * as path from 'path';

/** Where a server binary came from, in order of precedence. */
export type ServerSource = 'setting' | 'bundled' | 'path';

export type ServerResolution =
  | { readonly kind: 'found'; readonly path: string; readonly source: ServerSource }
  | {
      /** `aslLint.server.path` is set but names nothing runnable; no fallback is tried. */
      readonly kind: 'invalidSetting';
      readonly setting: string;
      readonly reason: string;
      readonly tried: readonly string[];
    }
  | {
      /** No setting, no bundled binary and nothing on PATH. */
      readonly kind: 'notFound';
      readonly tried: readonly string[];
    };

export interface ResolveOptions {
  /** The value of `aslLint.server.path` (may be empty or undefined). */
  readonly setting?: string;
  /** The first workspace folder's file-system path, if any. */
  readonly workspaceFolder?: string;
  /** The extension's install directory (holds `bundled/`). */
  readonly extensionPath: string;
  /** Defaults to `process.env`. */
  readonly env?: NodeJS.ProcessEnv;
  /** Defaults to `process.platform`. Only naming rules follow it (`.exe`, PATHEXT, `;`). */
  readonly platform?: NodeJS.Platform;
  /** Defaults to `os.homedir()`. */
  readonly homedir?: string;
}

export const SERVER_NAME = 'asl-lint';
const DEFAULT_PATHEXT = '.COM;.EXE;.BAT;.CMD';

/** `asl-lint.exe` on Windows, `asl-lint` elsewhere. */
export function executableName(platform: NodeJS.Platform): string {
  return platform === 'win32' ? `${SERVER_NAME}.exe` : SERVER_NAME;
}

/** The bundled binary's location inside the extension. */
export function bundledServerPath(extensionPath: string, platform: NodeJS.Platform): string {
  return path.join(extensionPath, 'bundled', executableName(platform));
}

/**
 * Gives the bundled binary back its executable bit when it lost it. A `.vsix`
 * is a zip, and whether an installed extension's files keep the modes recorded
 * in it depends on the packager and the installer; the extension calls this at
 * activation, before `resolveServerPath`. Only a regular file with no execute
 * bit at all is changed (to its mode plus 0o755); nothing happens on Windows,
 * when there is no bundled binary, or when the mode cannot be changed (the
 * lookup then skips it and reports it). Returns whether it changed the mode.
 */
export function ensureBundledExecutable(extensionPath: string, platform: NodeJS.Platform): boolean {
  if (platform === 'win32') {
    return false;
  }
  const bundled = bundledServerPath(extensionPath, platform);
  try {
    const stat = fs.statSync(bundled);
    if (!stat.isFile() || (stat.mode & 0o111) !== 0) {
      return false;
    }
    fs.chmodSync(bundled, (stat.mode & 0o7777) | 0o755);
    return true;
  } catch {
    return false;
  }
}

/** Resolves the server binary: the setting, then the bundled binary, then PATH. */
export function resolveServerPath(options: ResolveOptions): ServerResolution {
  const env = options.env ?? process.env;
  const platform = options.platform ?? process.platform;
  const homedir = options.homedir ?? os.homedir();
  const setting = (options.setting ?? '').trim();

  if (setting !== '') {
    return resolveSetting(setting, options.workspaceFolder, env, platform, homedir);
  }

  const tried: string[] = [];
  const bundled = bundledServerPath(options.extensionPath, platform);
  tried.push(bundled);
  if (isExecutableFile(bundled, platform)) {
    return { kind: 'found', path: bundled, source: 'bundled' };
  }

  const onPath = findOnPath(SERVER_NAME, env, platform, tried);
  if (onPath !== undefined) {
    return { kind: 'found', path: onPath, source: 'path' };
  }
  return { kind: 'notFound', tried };
}

function resolveSetting(
  setting: string,
  workspaceFolder: string | undefined,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  homedir: string,
): ServerResolution {
  const tried: string[] = [];
  const usesWorkspaceVariable = setting.includes('${workspaceFolder}');
  if (usesWorkspaceVariable && workspaceFolder === undefined) {
    return {
      kind: 'invalidSetting',
      setting,
      reason: 'it uses ${workspaceFolder} but no folder is open',
      tried,
    };
  }
  let expanded = expandHome(setting, homedir);
  if (workspaceFolder !== undefined) {
    expanded = expanded.split('${workspaceFolder}').join(workspaceFolder);
  }

  const bareName = !hasSeparator(expanded, platform);
  let candidate: string | undefined;
  if (path.isAbsolute(expanded)) {
    candidate = expanded;
  } else if (workspaceFolder !== undefined) {
    candidate = path.resolve(workspaceFolder, expanded);
  }

  if (candidate !== undefined) {
    const found = findExecutable(candidate, env, platform, tried);
    if (found !== undefined) {
      return { kind: 'found', path: found, source: 'setting' };
    }
  }
  // A bare command name (`asl-lint-dev`) that is not a file in the workspace
  // folder is looked up on PATH, as a shell would.
  if (bareName) {
    const found = findOnPath(expanded, env, platform, tried);
    if (found !== undefined) {
      return { kind: 'found', path: found, source: 'setting' };
    }
  }

  let reason: string;
  if (candidate === undefined && !bareName) {
    reason = 'it is a relative path and no workspace folder is open';
  } else if (tried.some((p) => fileExists(p))) {
    reason = 'the file is not executable';
  } else if (tried.some((p) => isDirectory(p))) {
    reason = 'it is a directory, not a program';
  } else {
    reason = 'no such file';
  }
  return { kind: 'invalidSetting', setting, reason, tried };
}

/** Replaces a leading `~` and any `${userHome}` with the home directory. */
export function expandHome(value: string, homedir: string): string {
  let out = value.split('${userHome}').join(homedir);
  if (out === '~') {
    return homedir;
  }
  if (out.startsWith('~/') || out.startsWith('~\\')) {
    out = path.join(homedir, out.slice(2));
  }
  return out;
}

function hasSeparator(value: string, platform: NodeJS.Platform): boolean {
  return value.includes('/') || (platform === 'win32' && value.includes('\\'));
}

/** Searches PATH for `command`, honouring PATHEXT on Windows. Records every candidate in `tried`. */
export function findOnPath(
  command: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  tried: string[] = [],
): string | undefined {
  const delimiter = platform === 'win32' ? ';' : ':';
  const pathValue = envValue(env, 'PATH', platform) ?? '';
  for (let dir of pathValue.split(delimiter)) {
    if (platform === 'win32') {
      dir = dir.trim().replace(/^"(.*)"$/, '$1');
    }
    // An empty entry means the current directory on POSIX; never run a
    // program from wherever the editor happened to be started.
    if (dir === '' || !path.isAbsolute(dir)) {
      continue;
    }
    const found = findExecutable(path.join(dir, command), env, platform, tried);
    if (found !== undefined) {
      return found;
    }
  }
  return undefined;
}

/**
 * `candidate` itself if it is an executable file; on Windows also
 * `candidate` + each PATHEXT extension (in PATHEXT order) when `candidate`
 * does not already end with one of them.
 */
function findExecutable(
  candidate: string,
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform,
  tried: string[],
): string | undefined {
  if (platform !== 'win32') {
    tried.push(candidate);
    return isExecutableFile(candidate, platform) ? candidate : undefined;
  }
  const extensions = pathExtensions(env);
  const lower = candidate.toLowerCase();
  const candidates = extensions.some((ext) => lower.endsWith(ext))
    ? [candidate]
    : extensions.map((ext) => candidate + ext);
  for (const c of candidates) {
    tried.push(c);
    if (isExecutableFile(c, platform)) {
      return c;
    }
  }
  return undefined;
}

/** PATHEXT as lower-case extensions with their dot (`.exe`). */
export function pathExtensions(env: NodeJS.ProcessEnv): string[] {
  const raw = envValue(env, 'PATHEXT', 'win32') ?? DEFAULT_PATHEXT;
  const exts = raw
    .split(';')
    .map((e) => e.trim().toLowerCase())
    .filter((e) => e.startsWith('.') && e.length > 1);
  return exts.length > 0 ? exts : DEFAULT_PATHEXT.toLowerCase().split(';');
}

/** Environment variable names are case-insensitive on Windows (`Path`). */
function envValue(env: NodeJS.ProcessEnv, name: string, platform: NodeJS.Platform): string | undefined {
  if (platform !== 'win32') {
    return env[name];
  }
  const key = Object.keys(env).find((k) => k.toUpperCase() === name);
  return key === undefined ? undefined : env[key];
}

function isDirectory(p: string): boolean {
  try {
    return fs.statSync(p).isDirectory();
  } catch {
    return false;
  }
}

function fileExists(p: string): boolean {
  try {
    return fs.statSync(p).isFile();
  } catch {
    return false;
  }
}

/** A regular file (symlinks followed) that the current user may execute. */
export function isExecutableFile(p: string, platform: NodeJS.Platform): boolean {
  if (!fileExists(p)) {
    return false;
  }
  if (platform === 'win32') {
    return true;
  }
  try {
    fs.accessSync(p, fs.constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

/**
 * Windows cannot spawn `.cmd`/`.bat` files without a shell (Node refuses,
 * see CVE-2024-27980); such a server must be started through one.
 */
export function needsShell(serverPath: string, platform: NodeJS.Platform): boolean {
  return platform === 'win32' && /\.(cmd|bat)$/i.test(serverPath);
}
