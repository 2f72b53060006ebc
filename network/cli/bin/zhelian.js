#!/usr/bin/env node
'use strict';
// The `zhelian` command. A committed file, so npm can link it at install time before the
// TypeScript is built; the CLI itself is compiled to dist/ by `npm run build`.
try {
    require.resolve('../dist/cli.js');
} catch {
    process.stderr.write('zhelian: the CLI is not built yet; run `npm run build` (or `npm start`) first\n');
    process.exit(1);
}
require('../dist/cli.js');
