// Each build directory says how Node must read its .js files, whatever the package's own "type".
const { writeFileSync } = require('node:fs');
const { join } = require('node:path');

for (const [dir, type] of [
  ['esm', 'module'],
  ['cjs', 'commonjs'],
]) {
  writeFileSync(join(__dirname, '..', 'dist', dir, 'package.json'), `${JSON.stringify({ type })}\n`);
}
