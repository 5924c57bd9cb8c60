#!/usr/bin/env node
// Runs the compiled CLI; `npm ci` compiles it in `prepare`.
require('../dist/bake/cli.js')
  .main(process.argv)
  .then((code) => {
    process.exitCode = code;
  });
