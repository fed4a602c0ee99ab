/**
 * What `npm pack` ships is what the README's "The npm package" table says: the same files, and
 * for each file the table gives a size, that size in bytes (`~N`: within 0.1 % of N, for the
 * browser wasm, whose panic locations name the build machine's crate paths). The build outputs
 * change size with the code, so the table has to be updated with them.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { browserDist, miniProgramDist, repoRoot, requireBuilt } from './support/builds.mjs';

const SECTION = '## The npm package';
const ROW = /^\| `([^`]+)` \|\s*(~?)([\d ]*?)\s*\|/;

/** The README table: file → `{bytes, about}`, or `null` where it gives no size. */
function readmeTable() {
  const readme = readFileSync(join(repoRoot, 'README.md'), 'utf8');
  const start = readme.indexOf(`\n${SECTION}\n`);
  assert.ok(start >= 0, `README.md has no "${SECTION}" section`);
  const end = readme.indexOf('\n## ', start + SECTION.length + 2);
  const rows = readme
    .slice(start, end < 0 ? undefined : end)
    .split('\n')
    .map((line) => ROW.exec(line))
    .filter((match) => match !== null);
  return new Map(
    rows.map(([, file, about, size]) => [
      file,
      size.trim() ? { bytes: Number(size.replaceAll(' ', '')), about: about === '~' } : null,
    ]),
  );
}

/** The files `npm pack` would ship, with their sizes (the outputs as built now). */
function packedFiles() {
  const [packed] = JSON.parse(
    execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], {
      cwd: repoRoot,
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    }),
  );
  return new Map(packed.files.map((file) => [file.path, file.size]));
}

test('the packed files and their sizes are those the README lists', () => {
  requireBuilt(browserDist);
  requireBuilt(miniProgramDist);
  const table = readmeTable();
  const packed = packedFiles();
  assert.deepEqual([...packed.keys()].sort(), [...table.keys()].sort(), 'file list');
  for (const [file, size] of table) {
    if (size === null) continue;
    const packedBytes = /** @type {number} */ (packed.get(file));
    if (size.about) {
      const off = Math.abs(packedBytes - size.bytes);
      assert.ok(off <= size.bytes / 1000, `${file}: ${packedBytes} bytes packed, the README says about ${size.bytes}`);
    } else {
      assert.equal(packedBytes, size.bytes, `${file}: packed size against the README`);
    }
  }
});

test('the package carries the Apache-2.0 text and the changelog', () => {
  const packed = packedFiles();
  assert.ok(packed.has('LICENSE') && packed.has('CHANGELOG.md'));
  const license = readFileSync(join(repoRoot, 'LICENSE'), 'utf8');
  assert.match(license, /Apache License\s+Version 2\.0, January 2004/);
  assert.equal(JSON.parse(readFileSync(join(repoRoot, 'package.json'), 'utf8')).license, 'Apache-2.0');
});
