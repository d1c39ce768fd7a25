/**
 * Docs that run: every ```sh / ```bash block of README.md and docs/*.md, pasted in order into one
 * `bash -euo pipefail` session per file (working directory: the repository root, as a new user's),
 * against the real application listening on 127.0.0.1. Conventions the docs follow:
 *
 * - `B=http://localhost:3000` is the one place a block names the service: the test sets B to the
 *   started service instead, and refuses a runnable block that writes `localhost:3000` anywhere else.
 * - `<!-- docs-test: skip -->` on the line before a block: the block is not run (it installs, starts
 *   the service, builds an image, runs the bench, ...). Blocks in other languages are never run.
 * - `<!-- docs-test: continues ../README.md -->` on a line of its own (a path relative to the file,
 *   as in a link): that file's runnable blocks run first in the same session, so the variables they
 *   define ($B, $TOKEN, $KEY, ...) exist.
 * - A command line ending in `# → text`: its output must contain `text` (e.g. `# → 204`,
 *   `# → "reason":"revoked"`); the rest of a command's output is only shown.
 * - The service is started with ADMIN_EMAIL / ADMIN_PASSWORD below, the ones docs/accounts.md uses.
 * - Relative links lead to an existing file and, with `#anchor`, to one of its headings.
 *
 * A failing file shows the block that failed (file and line), the script it became and its output.
 */
import { expect } from '@jest/globals';
import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { startTestApp, TestApp } from './support/test-app';

const ROOT = join(__dirname, '..');
const DOCS_DIR = 'docs';
const DOCUMENTED_BASE_URL = 'http://localhost:3000';
const BASE_URL_ASSIGNMENT = `B=${DOCUMENTED_BASE_URL}`;
const SKIP_MARKER = '<!-- docs-test: skip -->';
const CONTINUES_MARKER = /^<!-- docs-test: continues (\S+) -->$/m;
const EXPECTATION = /^(.*\S)\s+# → (.+)$/;
const SHELL_FENCE = /^```(sh|bash)\s*$/;
/** The operator account docs/accounts.md logs in with. */
const DOCS_ADMIN_EMAIL = 'admin@example.com';
const DOCS_ADMIN_PASSWORD = 'an admin password';
/** Below jest's 60 s test timeout, so a hung session still reports its block. */
const FILE_TIMEOUT_MS = 45_000;
const RELATIVE_LINK = /\]\((?![a-z]+:)([^)\s]*)\)/g;

interface ShellBlock {
  file: string;
  /** 1-based line of the opening fence. */
  line: number;
  source: string;
  skipped: boolean;
}

function docFiles(): string[] {
  const docs = readdirSync(join(ROOT, DOCS_DIR))
    .filter((name) => name.endsWith('.md'))
    .sort()
    .map((name) => `${DOCS_DIR}/${name}`);
  return ['README.md', ...docs];
}

function readDoc(file: string): string {
  return readFileSync(join(ROOT, file), 'utf8');
}

function shellBlocks(file: string): ShellBlock[] {
  const lines = readDoc(file).split('\n');
  const blocks: ShellBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    if (!SHELL_FENCE.test(lines[i])) continue;
    const end = lines.findIndex((text, j) => j > i && text.startsWith('```'));
    if (end < 0) throw new Error(`${file}:${i + 1}: unclosed code block`);
    const skipped = i > 0 && lines[i - 1].trim() === SKIP_MARKER;
    blocks.push({ file, line: i + 1, source: lines.slice(i + 1, end).join('\n'), skipped });
    i = end;
  }
  return blocks;
}

/** Lines outside code blocks (a `# comment` in a shell block is no heading). */
function proseLines(file: string): string[] {
  let inCode = false;
  return readDoc(file)
    .split('\n')
    .filter((text) => {
      if (text.startsWith('```')) inCode = !inCode;
      return !inCode && !text.startsWith('```');
    });
}

/** The anchors GitHub gives a file's headings: lower case, punctuation dropped, spaces as dashes. */
function headingAnchors(file: string): string[] {
  return proseLines(file)
    .filter((text) => /^#{1,6} /.test(text))
    .map((text) =>
      text
        .replace(/^#+ /, '')
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replaceAll(' ', '-'),
    );
}

/** Relative links whose file or heading does not exist, as `file: link`. */
function brokenLinks(file: string): string[] {
  return proseLines(file).flatMap((text) =>
    [...text.matchAll(RELATIVE_LINK)].flatMap(([, link]) => {
      const [path, anchor] = link.split('#');
      const target = path === '' ? file : join(dirname(file), path);
      if (!existsSync(join(ROOT, target))) return [`${file}: ${link}`];
      const known = anchor === undefined || !target.endsWith('.md') || headingAnchors(target).includes(anchor);
      return known ? [] : [`${file}: ${link}`];
    }),
  );
}

/** The runnable blocks of a file, preceded by those of the file it continues. */
function sessionBlocks(file: string, seen: string[] = []): ShellBlock[] {
  if (seen.includes(file)) throw new Error(`docs continue each other in a loop: ${[...seen, file].join(' → ')}`);
  const continued = CONTINUES_MARKER.exec(readDoc(file))?.[1];
  const before = continued ? sessionBlocks(join(dirname(file), continued), [...seen, file]) : [];
  return [...before, ...shellBlocks(file).filter((block) => !block.skipped)];
}

const singleQuoted = (text: string): string => `'${text.replaceAll("'", `'\\''`)}'`;

/** A command line ending in `# → text` (with its `\`-continued lines) becomes a check of its output. */
function withExpectations(source: string): string {
  const lines = source.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const match = EXPECTATION.exec(lines[i]);
    if (!match) continue;
    let start = i;
    while (start > 0 && lines[start - 1].endsWith('\\')) start--;
    const command = [...lines.slice(start, i), match[1]].join('\n');
    const check = `__out=$(${command}\n); printf '%s\\n' "$__out"; __expect "$__out" ${singleQuoted(match[2])}`;
    lines.splice(start, i - start + 1, check);
    i = start;
  }
  return lines.join('\n');
}

const PRELUDE = [
  'exec 2>&1',
  '__expect() {',
  '  case "$1" in *"$2"*) ;; *) printf "docs-test: expected the output to contain: %s\\n" "$2"; return 1 ;; esac',
  '}',
].join('\n');

const blockMarker = (index: number): string => `::docs-test block ${index}::`;

/** A block as the session runs it: B set to the started service, `# →` lines as checks. */
const asRun = (block: ShellBlock, baseUrl: string): string =>
  withExpectations(block.source.replaceAll(BASE_URL_ASSIGNMENT, `B=${baseUrl}`));

function sessionScript(blocks: ShellBlock[], baseUrl: string): string {
  const parts = blocks.map((block, index) => `echo ${singleQuoted(blockMarker(index))}\n${asRun(block, baseUrl)}`);
  return `${PRELUDE}\n${parts.join('\n')}\n`;
}

function runBash(script: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    // Asynchronous on purpose: the service answering the blocks runs in this process.
    // The script as an argument, not on stdin: a block reading stdin would swallow the blocks after it.
    // Its own process group, so a timeout stops the commands it started too (a hung curl holds the pipes).
    const child = spawn('bash', ['-euo', 'pipefail', '-c', script], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const timer = setTimeout(() => process.kill(-child.pid!, 'SIGKILL'), FILE_TIMEOUT_MS);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

/** Names the block that was running when the session stopped, with its source and its output. */
function failureReport(blocks: ShellBlock[], baseUrl: string, code: number | null, output: string): string {
  let failed = -1;
  blocks.forEach((_, index) => {
    if (output.includes(blockMarker(index))) failed = index;
  });
  const ended = code === null ? `bash was stopped after ${FILE_TIMEOUT_MS / 1000} s` : `bash exited with ${code}`;
  if (failed < 0) return `${ended} before the first block:\n${output}`;
  const block = blocks[failed];
  const blockOutput = output.slice(output.lastIndexOf(blockMarker(failed)) + blockMarker(failed).length);
  return [
    `${ended} in the block at ${block.file}:${block.line}:`,
    block.source,
    '--- as run:',
    asRun(block, baseUrl),
    '--- its output:',
    blockOutput.trim(),
  ].join('\n');
}

describe('Docs: every shell block of README.md and docs/ runs as written', () => {
  let t: TestApp;
  let baseUrl: string;

  beforeAll(async () => {
    t = await startTestApp({ env: { ADMIN_EMAIL: DOCS_ADMIN_EMAIL, ADMIN_PASSWORD: DOCS_ADMIN_PASSWORD } });
    await t.app.listen(0, '127.0.0.1');
    baseUrl = await t.app.getUrl();
  });
  afterAll(() => t.close());

  it('names the service only through B=http://localhost:3000 in runnable blocks', () => {
    const elsewhere = docFiles()
      .flatMap(shellBlocks)
      .filter((block) => !block.skipped)
      .filter((block) => block.source.replaceAll(BASE_URL_ASSIGNMENT, '').includes('localhost:3000'))
      .map((block) => `${block.file}:${block.line}`);
    expect(elsewhere).toEqual([]);
  });

  it('puts every skip marker right before a shell block', () => {
    const misplaced = docFiles().flatMap((file) =>
      readDoc(file)
        .split('\n')
        .flatMap((text, index, lines) =>
          text.trim() === SKIP_MARKER && !SHELL_FENCE.test(lines[index + 1] ?? '') ? [`${file}:${index + 1}`] : [],
        ),
    );
    expect(misplaced).toEqual([]);
  });

  it('links only to files and headings that exist', () => {
    expect(docFiles().flatMap(brokenLinks)).toEqual([]);
  });

  it.each(docFiles().filter((file) => sessionBlocks(file).length > 0))('%s', async (file) => {
    const blocks = sessionBlocks(file);
    const rootBefore = readdirSync(ROOT).sort();
    const { code, output } = await runBash(sessionScript(blocks, baseUrl));
    if (code !== 0) throw new Error(failureReport(blocks, baseUrl, code, output));
    // Pasting the docs leaves nothing behind in the clone (no key files next to package.json).
    expect(readdirSync(ROOT).sort()).toEqual(rootBefore);
  });
});
