/**
 * Jest transform for the ES-module-only packages the OIDC client uses (openid-client 6,
 * oauth4webapi, jose): TypeScript's transpiler turns their `import`/`export` into CommonJS, which
 * is what Node itself does for them when the service `require()`s them. They use neither
 * top-level await nor import.meta, the two things that would not survive this.
 */
const { createHash } = require('node:crypto');
const ts = require('typescript');

const OPTIONS = { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, allowJs: true, sourceMap: false, esModuleInterop: true };

module.exports = {
  process(source, filename) {
    return { code: ts.transpileModule(source, { compilerOptions: OPTIONS, fileName: filename }).outputText };
  },
  getCacheKey(source, filename) {
    return createHash('sha256').update(ts.version).update('\0').update(filename).update('\0').update(source).update('\0esm-to-cjs-1').digest('hex');
  },
};
