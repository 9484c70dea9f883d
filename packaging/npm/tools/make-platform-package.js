#!/usr/bin/env node
// Writes the platform package `@asl-lint/cli-<platform>-<arch>` into
// packaging/npm/platforms/<platform>-<arch>/ (or --out DIR): a package.json whose `os` and `cpu`
// fields make npm install it only there, a README, and a stripped copy of BINARY in bin/.
// The name must be one of the main package's optionalDependencies, and the version is the main
// package's. The binary given is never modified.
//
//   node packaging/npm/tools/make-platform-package.js linux-x64 target/release/asl-lint
//   node packaging/npm/tools/make-platform-package.js win32-x64 asl-lint.exe --no-strip
//
// --no-strip copies the binary as is (one stripped already, or built for another platform than
// this machine's `strip` handles); STRIP names the strip program (default `strip`). Windows
// binaries are copied as is: MSVC keeps their debug information in a separate .pdb.
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const path = require('path');

const root = path.resolve(__dirname, '..');
const main = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function die(message) {
  process.stderr.write(`make-platform-package: ${message}\n`);
  process.exit(2);
}

const args = process.argv.slice(2);
let strip = true;
let out;
const positional = [];
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--no-strip') strip = false;
  else if (args[i] === '--out') out = args[++i];
  else positional.push(args[i]);
}
if (positional.length !== 2 || (args.includes('--out') && !out)) {
  die('usage: make-platform-package.js <platform>-<arch> BINARY [--no-strip] [--out DIR]');
}
const [target, binary] = positional;
const name = `@asl-lint/cli-${target}`;
const optional = main.optionalDependencies || {};
if (!(name in optional)) {
  die(`${name} is not one of asl-lint's optionalDependencies (${Object.keys(optional).join(', ')})`);
}
if (optional[name] !== main.version) {
  die(`asl-lint ${main.version} depends on ${name}@${optional[name]}: the versions must be the same (tools/version.js --write)`);
}
const [os, cpu] = target.split('-');
if (!fs.statSync(binary, { throwIfNoEntry: false })?.isFile()) die(`${binary}: no such file`);

const dir = path.resolve(out || path.join(root, 'platforms', target));
fs.rmSync(dir, { recursive: true, force: true });
fs.mkdirSync(path.join(dir, 'bin'), { recursive: true });
const exe = os === 'win32' ? 'asl-lint.exe' : 'asl-lint';
const dest = path.join(dir, 'bin', exe);

if (strip && os !== 'win32') {
  const program = process.env.STRIP || 'strip';
  const r = spawnSync(program, ['-o', dest, binary], { stdio: 'inherit' });
  if (r.error) die(`cannot run ${program}: ${r.error.message} (set STRIP, or pass --no-strip)`);
  if (r.status !== 0) die(`${program} -o ${dest} ${binary} failed (status ${r.status})`);
} else {
  fs.copyFileSync(binary, dest);
}
fs.chmodSync(dest, 0o755);

const pkg = {
  name,
  version: main.version,
  description: `The asl-lint binary for ${target}; install \`asl-lint\`, which uses it`,
  homepage: main.homepage,
  bugs: main.bugs,
  repository: main.repository,
  license: main.license,
  os: [os],
  cpu: [cpu],
  files: [`bin/${exe}`],
  preferUnplugged: true,
};
fs.writeFileSync(path.join(dir, 'package.json'), JSON.stringify(pkg, null, 2) + '\n');
fs.writeFileSync(
  path.join(dir, 'README.md'),
  `# ${name}\n\nThe asl-lint binary for ${target}. Install [\`asl-lint\`](https://www.npmjs.com/package/asl-lint) ` +
    `instead: it lists this package as an optional dependency and runs the binary.\n`,
);
process.stdout.write(`${dir}\n`);
