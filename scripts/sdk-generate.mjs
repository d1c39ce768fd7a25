// Regenerates sdk/node/src/generated/openapi.ts from the service's OpenAPI document (`npm run sdk:generate`).
//   node scripts/sdk-generate.mjs                     document of the built app (dist/, from `nest build`)
//   node scripts/sdk-generate.mjs --from doc.json     document read from a file
//   --check                                           write nothing; exit 1 when the committed file differs
import { readFile, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import openapiTS, { astToString, COMMENT_HEADER } from 'openapi-typescript';
import prettier from 'prettier';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const target = join(root, 'sdk/node/src/generated/openapi.ts');
const { values: args } = parseArgs({ options: { from: { type: 'string' }, check: { type: 'boolean' } } });

/** The document the built service serves at /docs-json, read in-process (no port, in-memory database). */
async function documentOfBuiltApp() {
  const require = createRequire(import.meta.url);
  const { createApp } = require(join(root, 'dist/src/app.factory.js'));
  const { loadConfig } = require(join(root, 'dist/src/config/app-config.js'));
  const app = await createApp(loadConfig({ NODE_ENV: 'development', LOG_LEVEL: 'silent', DATA_DIR: 'memory://' }));
  try {
    const reply = await app.getHttpAdapter().getInstance().inject({ method: 'GET', url: '/docs-json' });
    if (reply.statusCode !== 200) throw new Error(`GET /docs-json answered ${reply.statusCode}`);
    return reply.json();
  } finally {
    await app.close();
  }
}

const document = args.from ? JSON.parse(await readFile(args.from, 'utf8')) : await documentOfBuiltApp();
const source =
  COMMENT_HEADER + astToString(await openapiTS(document, { alphabetize: true, defaultNonNullable: false }));
const formatted = await prettier.format(source, { ...(await prettier.resolveConfig(target)), filepath: target });

if (args.check) {
  const committed = await readFile(target, 'utf8').catch(() => '');
  if (committed !== formatted) {
    process.stderr.write(`${target} is stale: run \`npm run sdk:generate\` and commit it\n`);
    process.exit(1);
  }
} else {
  await writeFile(target, formatted);
  process.stdout.write(`wrote ${target}\n`);
}
