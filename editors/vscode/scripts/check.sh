#!/usr/bin/env bash
# Builds and tests the VS Code extension from a clean install of its locked
# dependencies. CI calls it when node and npm are present.
set -euo pipefail
cd "$(dirname "$0")/.."
npm ci
npm run compile
npm test
