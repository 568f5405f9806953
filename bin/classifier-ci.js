#!/usr/bin/env node
// The CLI is bundled to dist/cli.js (native modules stay in node_modules).
import '../dist/cli.js';
