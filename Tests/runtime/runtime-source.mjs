// The runtime as packages carry it. ladder.js is kept in parts
// (Sources/LadderRendering/Assets/ladder-js/NN-what-it-holds.js), and SharedAssets
// (SCOPage.swift) joins every part in file-name order into the one ladder.js a package
// ships; the tests join them the same way and run the whole, never a part.
import { readFileSync, readdirSync } from 'node:fs';
import vm from 'node:vm';

const PARTS = new URL('../../Sources/LadderRendering/Assets/ladder-js/', import.meta.url);

/** The text of ladder.js: the parts joined in file-name order. */
export function runtimeSource() {
  return readdirSync(PARTS)
    .filter((name) => name.endsWith('.js'))
    .sort()
    .map((name) => readFileSync(new URL(name, PARTS), 'utf8'))
    .join('');
}

/** ladder.js run as node's require() runs a file: `module` is defined, so it only exports. */
export function loadRuntime() {
  const module = { exports: {} };
  // The wrapper opens on the first line, as node's own does, so line numbers match the file.
  const run = vm.runInThisContext('(function (module, exports) {' + runtimeSource() + '\n})', { filename: 'ladder.js' });
  run.call(module.exports, module, module.exports);
  return module.exports;
}
