// Lets plain `node` run this repository's TypeScript without a build step or ts-node:
//   node -r ./scripts/register-ts.js scripts/gen-example-files.ts
// It bootstraps the same transpile-only hook the program runner uses (src/resources/program/register.ts):
// that file is transpiled here once, by hand, and then installs itself for every other `.ts` file.
"use strict";
const fs = require("fs");
const path = require("path");
const Module = require("module");
const ts = require("typescript");

const hookFile = path.join(__dirname, "..", "src", "resources", "program", "register.ts");
const hookSource = ts.transpileModule(fs.readFileSync(hookFile, "utf8"), {
  fileName: hookFile,
  compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2020, esModuleInterop: true },
}).outputText;

const hookModule = new Module(hookFile, module);
hookModule.filename = hookFile;
hookModule.paths = Module._nodeModulePaths(path.dirname(hookFile));
hookModule._compile(hookSource, hookFile);
// Put it in the cache so `require("./register")` from the runner gets this same instance.
require.cache[hookFile] = hookModule;
hookModule.loaded = true;

hookModule.exports.registerTypeScript(ts);
