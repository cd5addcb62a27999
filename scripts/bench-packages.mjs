// The generated part of the benchmark project: tens of small libraries with dependencies
// between them and one package with a large install tree, written to a directory and then
// published to the bench's local registry. Deterministic: the same files every run.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';

export const BENCH_SCOPE = '@hookbox-bench';
export const LIBRARY_COUNT = 40;
const LARGE_TREE_DIRS = 40;
const LARGE_TREE_FILES_PER_DIR = 50;

const name = (index) => `${BENCH_SCOPE}/lib-${String(index).padStart(2, '0')}`;

async function writePackage(dir, manifest, files) {
  await mkdir(dir, { recursive: true });
  await writeFile(path.join(dir, 'package.json'), `${JSON.stringify({ license: 'MIT', main: 'index.js', ...manifest }, null, 2)}\n`);
  for (const [relative, content] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(dir, relative)), { recursive: true });
    await writeFile(path.join(dir, relative), content);
  }
}

// Writes every generated package under `root` and returns the dependencies the bench project
// adds for them (each library depends on the next two, so the tree nests like a real one).
export async function writeBenchPackages(root) {
  for (let index = 1; index <= LIBRARY_COUNT; index++) {
    const dependencies = Object.fromEntries([index + 1, index + 2].filter((next) => next <= LIBRARY_COUNT).map((next) => [name(next), '^1.0.0']));
    await writePackage(path.join(root, `lib-${index}`), { name: name(index), version: '1.0.0', dependencies }, {
      'index.js': `module.exports = (x) => x + ${index};\n`,
      'README.md': `# lib-${index}\n\nA generated library of the hookbox benchmark.\n`,
    });
  }
  const files = { 'index.js': "module.exports = 'large tree';\n" };
  for (let dir = 0; dir < LARGE_TREE_DIRS; dir++) {
    for (let file = 0; file < LARGE_TREE_FILES_PER_DIR; file++) {
      files[`lib/part-${dir}/file-${file}.js`] = `// generated\nexports.value = ${dir * 1000 + file};\n`;
    }
  }
  await writePackage(path.join(root, 'large-tree'), { name: `${BENCH_SCOPE}/large-tree`, version: '1.0.0' }, files);
  return { [name(1)]: '^1.0.0', [name(LIBRARY_COUNT / 2)]: '^1.0.0', [`${BENCH_SCOPE}/large-tree`]: '^1.0.0' };
}
