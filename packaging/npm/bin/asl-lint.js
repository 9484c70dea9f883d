#!/usr/bin/env node
// Starts the asl-lint binary for this platform. The binary comes in one of the optional
// dependencies `@asl-lint/cli-<platform>-<arch>` (npm installs only the one whose `os` and
// `cpu` match); ASL_LINT_BINARY, when set, names a binary to run instead. Plain Node, no
// dependencies: it forwards the arguments, the standard streams, the exit status and a
// terminating signal, and exits 2 with a message saying how to fix it when no binary is
// installed.
'use strict';

const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const manifest = require('../package.json');

const CARGO_INSTALL = 'cargo install --locked --git https://github.com/asl-lint/asl-lint asl-lint';

function fail(lines) {
  process.stderr.write(lines.join('\n') + '\n');
  process.exit(2);
}

function platformBinary() {
  const platform = `${process.platform}-${process.arch}`;
  const name = `@asl-lint/cli-${platform}`;
  const published = Object.keys(manifest.optionalDependencies || {});
  if (!published.includes(name)) {
    const names = published.map((n) => n.replace('@asl-lint/cli-', '')).join(', ');
    fail([
      `asl-lint: no prebuilt binary for ${platform} (the npm package has them for ${names}).`,
      `Build one with \`${CARGO_INSTALL}\`, then run it directly or set ASL_LINT_BINARY to its path.`,
    ]);
  }
  let packageJson;
  try {
    packageJson = require.resolve(`${name}/package.json`);
  } catch {
    fail([
      `asl-lint: the binary for ${platform} is missing: the package \`${name}\` is not installed.`,
      `npm installs it as an optional dependency of asl-lint and leaves it out when optional dependencies are omitted`,
      `(\`--no-optional\`, \`--omit=optional\`, \`omit=optional\` in .npmrc) or when package-lock.json was written on another platform.`,
      `To fix it, reinstall without omitting optional dependencies (\`npm install asl-lint\`; if package-lock.json comes from`,
      `another platform, delete it and node_modules first), or install \`${name}@${manifest.version}\` yourself;`,
      `or install asl-lint with pip (\`pip install asl-lint\`) or cargo (\`${CARGO_INSTALL}\`),`,
      `or set ASL_LINT_BINARY to the path of an asl-lint binary.`,
    ]);
  }
  const dir = path.dirname(packageJson);
  const binary = path.join(dir, 'bin', process.platform === 'win32' ? 'asl-lint.exe' : 'asl-lint');
  if (!fs.existsSync(binary)) {
    fail([
      `asl-lint: \`${name}\` is installed in ${dir} but has no ${path.relative(dir, binary)}; reinstall it (\`npm install asl-lint\`).`,
    ]);
  }
  let version;
  try {
    version = JSON.parse(fs.readFileSync(packageJson, 'utf8')).version;
  } catch {
    version = undefined;
  }
  if (version !== manifest.version) {
    process.stderr.write(
      `asl-lint: warning: \`${name}\` is version ${version}, asl-lint is ${manifest.version}; ` +
        `reinstall asl-lint so that both are the same version\n`,
    );
  }
  return binary;
}

const binary = process.env.ASL_LINT_BINARY || platformBinary();

// Ctrl-C reaches the whole process group, so the binary gets SIGINT itself and decides when to
// stop; the launcher waits for it (a listener keeps Node from dying first) and then reports what
// the binary did.
const ignore = () => {};
process.on('SIGINT', ignore);
const result = spawnSync(binary, process.argv.slice(2), { stdio: 'inherit' });
process.removeListener('SIGINT', ignore);

if (result.error) {
  fail([`asl-lint: cannot start ${binary}: ${result.error.message}`]);
}
if (result.signal) {
  // Die of the same signal, so that the caller sees what the binary saw; if Node ignores that
  // signal (SIGPIPE), exit with the status a shell would report.
  try {
    process.kill(process.pid, result.signal);
  } catch {
    // fall through
  }
  process.exit(128 + (os.constants.signals[result.signal] || 0));
}
process.exit(result.status === null ? 1 : result.status);
