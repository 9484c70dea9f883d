#!/usr/bin/env node
// Checks that the npm packages' version is VERSION: the main package's `version` and every
// `@asl-lint/cli-*` optional dependency (which must be exactly the same). With --write, sets them.
//
//   node packaging/npm/tools/version.js 0.1.0           # exit 1 and say what differs
//   node packaging/npm/tools/version.js 0.2.0 --write
'use strict';

const fs = require('fs');
const path = require('path');

const file = path.resolve(__dirname, '..', 'package.json');
const [version, flag] = process.argv.slice(2);
if (!version || (flag !== undefined && flag !== '--write')) {
  process.stderr.write('usage: version.js VERSION [--write]\n');
  process.exit(2);
}
const pkg = JSON.parse(fs.readFileSync(file, 'utf8'));
const wrong = [];
if (pkg.version !== version) wrong.push(`version is ${pkg.version}`);
for (const [name, v] of Object.entries(pkg.optionalDependencies || {})) {
  if (v !== version) wrong.push(`${name} is ${v}`);
}
if (flag === '--write') {
  pkg.version = version;
  for (const name of Object.keys(pkg.optionalDependencies || {})) pkg.optionalDependencies[name] = version;
  fs.writeFileSync(file, JSON.stringify(pkg, null, 2) + '\n');
} else if (wrong.length > 0) {
  process.stderr.write(
    `${path.relative(process.cwd(), file)}: expected ${version} everywhere, but ${wrong.join(', ')}; ` +
      `run \`node packaging/npm/tools/version.js ${version} --write\`\n`,
  );
  process.exit(1);
}
