// Lets a plain `node` child (e.g. one started inside a network namespace) run the TypeScript sources:
// transpiles .ts on require with the project's compiler and maps `@tiergate/<lib>` to libs/<lib>/src.
const Module = require('node:module');
const fs = require('node:fs');
const path = require('node:path');
const ts = require('typescript');

const root = path.resolve(__dirname, '..', '..');
const resolve = Module._resolveFilename;
Module._resolveFilename = function (request, parent, ...rest) {
  const m = /^@tiergate\/([a-z-]+)$/.exec(request);
  if (m) request = path.join(root, 'libs', m[1], 'src', 'index.ts');
  return resolve.call(this, request, parent, ...rest);
};
require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const out = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, experimentalDecorators: true, emitDecoratorMetadata: true, esModuleInterop: true },
  });
  module._compile(out.outputText, filename);
};
