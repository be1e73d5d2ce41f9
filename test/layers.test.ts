// Enforces the one dependency rule (docs/decisions/0003-layers.md) so that it holds without anyone
// remembering it. Every source file under src/ is parsed with the TypeScript compiler (multi-line
// imports, `export ... from`, dynamic `import()` and type-only imports are all seen; comments and
// strings are not), each import is resolved to a layer, and every broken rule is printed as
// `file:line imports 'specifier' — why`. Self-checks make sure the test cannot pass by finding
// nothing: the parser must find crafted imports, the rules must reject crafted bad ones, and the
// scan must see more than ten files.

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { isBuiltin } from 'node:module';
import { dirname, join, posix, relative, resolve, sep } from 'node:path';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

/** Lower layers first. A file may import from its own layer and the layers before it. */
const LAYERS = [
  'core',
  'model',
  'risk',
  'portfolio',
  'engine',
  'data',
  'venues',
  'journal',
  'api',
  'cli',
  'app',
  'web',
] as const;
type Layer = (typeof LAYERS)[number];

/** Pure and deterministic: no npm package, no node built-in (type-only imports excepted), no clock. */
const DETERMINISTIC: ReadonlySet<Layer> = new Set(['core', 'model', 'risk', 'portfolio', 'engine']);

/** Pairs of layers that must not import each other in either direction. */
const SIBLINGS: readonly (readonly [Layer, Layer])[] = [
  ['risk', 'portfolio'],
  ['api', 'cli'],
];

/** The only src modules the dashboard may import: the API contract (none exists yet). */
const WEB_MAY_IMPORT: readonly string[] = ['src/api/contract.ts'];

/** The public library entry: app-level, allowed to import anything. */
const LIBRARY_ENTRY = 'src/index.ts';

const PACKAGE_NAME = 'ordo';
const SOURCE_EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts'];

/** Where an import points, as far as the rules care. */
type Target =
  | { readonly kind: 'src'; readonly path: string }
  | { readonly kind: 'repo'; readonly path: string }
  | { readonly kind: 'builtin'; readonly name: string }
  | { readonly kind: 'package'; readonly name: string }
  | { readonly kind: 'self'; readonly name: string }
  | { readonly kind: 'dynamic' };

interface ImportRef {
  readonly specifier: string | undefined;
  readonly line: number;
  /** Erased at compile time: `import type`, `export type ... from`, `typeof import('x')`. */
  readonly typeOnly: boolean;
}

interface SourceInfo {
  /** Repository-relative path with forward slashes, e.g. `src/engine/engine.ts`. */
  readonly path: string;
  readonly isTest: boolean;
}

/** The layer of a repository-relative path under src/, `undefined` when it is in none. */
function layerOf(path: string): Layer | 'entry' | undefined {
  if (path === LIBRARY_ENTRY) return 'entry';
  const parts = path.split('/');
  if (parts[0] !== 'src' || parts.length < 3) return undefined;
  const dir = parts[1] as Layer;
  return LAYERS.includes(dir) ? dir : undefined;
}

/** `src/venues/<name>/...` gives `<name>`; shared venue code directly in src/venues/ gives ''. */
function venueOf(path: string): string | undefined {
  const parts = path.split('/');
  if (parts[0] !== 'src' || parts[1] !== 'venues') return undefined;
  return parts.length > 3 ? (parts[2] as string) : '';
}

function isTestFile(path: string): boolean {
  return /\.test\.[cm]?tsx?$/.test(path);
}

function resolveTarget(fromPath: string, specifier: string | undefined): Target {
  if (specifier === undefined) return { kind: 'dynamic' };
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const abs = specifier.startsWith('/') ? specifier : posix.join(posix.dirname(fromPath), specifier);
    const path = posix.normalize(abs);
    return path.startsWith('src/') || path === 'src' ? { kind: 'src', path } : { kind: 'repo', path };
  }
  if (isBuiltin(specifier)) return { kind: 'builtin', name: specifier };
  if (specifier === PACKAGE_NAME || specifier.startsWith(`${PACKAGE_NAME}/`) || specifier.startsWith('#'))
    return { kind: 'self', name: specifier };
  const parts = specifier.split('/');
  const name = specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] as string);
  return { kind: 'package', name };
}

/**
 * Every rule one import breaks, as sentences; empty when the import is allowed. This is the whole
 * dependency rule: the self-check below feeds it crafted imports.
 */
function checkImport(from: SourceInfo, imp: ImportRef): string[] {
  const broken: string[] = [];
  const layer = layerOf(from.path);
  if (layer === undefined) {
    return [
      `${from.path} is in no layer: put it under src/<layer>/ (${LAYERS.join(', ')}) or add the layer to test/layers.test.ts and docs/decisions/0003-layers.md`,
    ];
  }
  const target = resolveTarget(from.path, imp.specifier);
  const pure = layer !== 'entry' && DETERMINISTIC.has(layer);
  switch (target.kind) {
    case 'dynamic':
      if (pure)
        broken.push(`${layer} is deterministic: an import() of a computed specifier is a hidden input`);
      break;
    case 'builtin':
      if (pure && !from.isTest && !imp.typeOnly)
        broken.push(
          `${layer} is pure: it may not import the node built-in '${target.name}' (only \`import type\` is allowed)`,
        );
      break;
    case 'package':
      if (pure && !from.isTest && !imp.typeOnly)
        broken.push(
          `${layer} is pure: it may not import the npm package '${target.name}' (only \`import type\` is allowed)`,
        );
      break;
    case 'self':
      broken.push(`import src modules by relative path, not through '${target.name}'`);
      break;
    case 'repo': {
      const top = target.path.split('/')[0];
      if ((top === 'test' || top === 'bench') && !from.isTest)
        broken.push(
          `nothing in src imports from ${top}/ (test helpers and benchmarks stay out of the product)`,
        );
      else if (pure && !from.isTest && !imp.typeOnly)
        broken.push(`${layer} is deterministic: it may import only from src, not '${target.path}'`);
      break;
    }
    case 'src':
      broken.push(...checkSrcImport(from, layer, target.path));
      break;
  }
  return broken;
}

function checkSrcImport(from: SourceInfo, layer: Layer | 'entry', targetPath: string): string[] {
  if (layer === 'entry') return [];
  const targetLayer = layerOf(targetPath);
  if (targetLayer === 'entry') return [`nothing imports ${LIBRARY_ENTRY} (the public entry is app-level)`];
  if (targetLayer === undefined) return [`'${targetPath}' is in no layer`];
  if (targetLayer === layer) {
    const a = venueOf(from.path);
    const b = venueOf(targetPath);
    // A fake venue server (`src/venues/<venue>/fake/`) matches with Ordo's paper engine.
    const fakeOnPaper = b === 'paper' && from.path.split(/[\\/]/).includes('fake');
    if (a !== undefined && b !== undefined && b !== '' && a !== b && !fakeOnPaper)
      return a === ''
        ? [`shared venue code may not import the venue '${b}' (wire venues together in app)`]
        : [`the venue '${a}' may not import another venue ('${b}')`];
    return [];
  }
  if (layer === 'web') {
    return WEB_MAY_IMPORT.includes(targetPath)
      ? []
      : [`web may import only the API contract (${WEB_MAY_IMPORT.join(', ')}), not ${targetLayer}`];
  }
  if (targetLayer === 'app') return ['nothing imports app (it is the composition root)'];
  for (const [a, b] of SIBLINGS) {
    if ((layer === a && targetLayer === b) || (layer === b && targetLayer === a))
      return [`${a} and ${b} must not import each other`];
  }
  if (LAYERS.indexOf(targetLayer) > LAYERS.indexOf(layer))
    return [`${layer} may not import ${targetLayer}: imports point down the list ${LAYERS.join(' < ')}`];
  return [];
}

/** Every import of one source text, with comments and strings ignored by construction. */
function parseImports(path: string, text: string): ImportRef[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(path));
  const found: ImportRef[] = [];
  const add = (node: ts.Node, spec: ts.Expression | undefined, typeOnly: boolean): void => {
    const specifier = spec !== undefined && ts.isStringLiteralLike(spec) ? spec.text : undefined;
    const line = sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
    found.push({ specifier, line, typeOnly });
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node)) {
      // Under verbatimModuleSyntax only `import type` is erased; `import { type X }` still loads.
      add(node, node.moduleSpecifier, node.importClause?.isTypeOnly === true);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier !== undefined) {
      add(node, node.moduleSpecifier, node.isTypeOnly);
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      add(node, node.moduleReference.expression, node.isTypeOnly);
    } else if (ts.isImportTypeNode(node)) {
      const arg = node.argument;
      add(node, ts.isLiteralTypeNode(arg) ? arg.literal : undefined, true);
    } else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isRequire = ts.isIdentifier(callee) && callee.text === 'require';
      if (callee.kind === ts.SyntaxKind.ImportKeyword || isRequire) add(node, node.arguments[0], false);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

/** Reads of the clock and of random sources: hidden inputs a deterministic layer must not have. */
const HIDDEN_INPUTS: ReadonlySet<string> = new Set([
  'Date.now',
  'Math.random',
  'performance.now',
  'crypto.randomUUID',
  'crypto.getRandomValues',
  'process.hrtime',
]);

/** Each use of a hidden input in one source text, as `line uses what`; comments and strings are ignored. */
function findHiddenInputs(path: string, text: string): string[] {
  const sf = ts.createSourceFile(path, text, ts.ScriptTarget.Latest, true, scriptKind(path));
  const found: string[] = [];
  const at = (node: ts.Node): number => sf.getLineAndCharacterOfPosition(node.getStart(sf)).line + 1;
  const visit = (node: ts.Node): void => {
    if (ts.isPropertyAccessExpression(node) && ts.isIdentifier(node.expression)) {
      const name = `${node.expression.text}.${node.name.text}`;
      if (HIDDEN_INPUTS.has(name)) found.push(`${at(node)} uses ${name}`);
    } else if (ts.isNewExpression(node) && isIdentifierNamed(node.expression, 'Date')) {
      if ((node.arguments?.length ?? 0) === 0) found.push(`${at(node)} uses new Date()`);
    } else if (ts.isCallExpression(node) && isIdentifierNamed(node.expression, 'Date')) {
      found.push(`${at(node)} uses Date()`);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return found;
}

function isIdentifierNamed(node: ts.Node, name: string): boolean {
  return ts.isIdentifier(node) && node.text === name;
}

function scriptKind(path: string): ts.ScriptKind {
  return path.endsWith('.tsx') ? ts.ScriptKind.TSX : ts.ScriptKind.TS;
}

function sourceFiles(dir: string, out: string[] = []): string[] {
  for (const name of readdirSync(dir).sort()) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) sourceFiles(full, out);
    else if (SOURCE_EXTENSIONS.some((ext) => name.endsWith(ext)) && !name.endsWith('.d.ts')) out.push(full);
  }
  return out;
}

function repoPath(full: string): string {
  return relative(ROOT, full).split(sep).join('/');
}

const SRC_FILES = sourceFiles(join(ROOT, 'src')).map((full) => ({
  path: repoPath(full),
  text: readFileSync(full, 'utf8'),
}));

test('self-check: the parser finds every kind of import and ignores comments and strings', () => {
  const text = [
    "import type { A } from './a.ts';",
    'import {',
    '  b,',
    '  c,',
    "} from '../b.ts';",
    "import { type D } from './d.ts';",
    "export { e } from './e.ts';",
    "export type { F } from './f.ts';",
    "import './side-effect.ts';",
    "// import { x } from './commented.ts';",
    "/* import { y } from './block.ts'; */",
    'const s = "import { z } from \'./string.ts\'";',
    "const g = await import('./g.ts');",
    "type H = typeof import('./h.ts');",
  ].join('\n');
  const found = parseImports('src/x/y.ts', text).map((i) => `${i.line} ${i.specifier} ${i.typeOnly}`);
  assert.deepEqual(found, [
    '1 ./a.ts true',
    '2 ../b.ts false',
    '6 ./d.ts false',
    '7 ./e.ts false',
    '8 ./f.ts true',
    '9 ./side-effect.ts false',
    '13 ./g.ts false',
    '14 ./h.ts true',
  ]);
});

test('self-check: the rules reject crafted bad imports and accept good ones', () => {
  const at = (path: string): SourceInfo => ({ path, isTest: isTestFile(path) });
  const imp = (specifier: string | undefined, typeOnly = false): ImportRef => ({
    specifier,
    line: 1,
    typeOnly,
  });
  const bad: [string, ImportRef][] = [
    ['src/core/decimal.ts', imp('../engine/engine.ts')],
    ['src/model/order.ts', imp('../risk/rule.ts')],
    ['src/risk/notional.ts', imp('../portfolio/position.ts')],
    ['src/portfolio/position.ts', imp('../risk/rule.ts')],
    ['src/engine/engine.ts', imp('../venues/paper/paper.ts')],
    ['src/engine/engine.ts', imp('../journal/sqlite.ts')],
    ['src/engine/engine.ts', imp('../data/replay.ts')],
    ['src/engine/engine.ts', imp('node:fs')],
    ['src/core/x.ts', imp('fs')],
    ['src/risk/x.ts', imp('fast-check')],
    ['src/model/x.ts', imp('@scope/pkg/sub')],
    ['src/engine/x.ts', imp(undefined)],
    ['src/venues/paper/paper.ts', imp('../alpaca/wire.ts')],
    ['src/venues/capabilities.ts', imp('./binance/binance.ts')],
    ['src/api/server.ts', imp('../cli/main.ts')],
    ['src/cli/main.ts', imp('../api/server.ts')],
    ['src/cli/main.ts', imp('../app/config.ts')],
    ['src/web/main.ts', imp('../engine/engine.ts')],
    ['src/web/main.ts', imp('../api/server.ts')],
    ['src/app/main.ts', imp('../web/main.ts')],
    ['src/journal/sqlite.ts', imp('../../test/helpers.ts')],
    ['src/data/csv.ts', imp('../../bench/run.ts')],
    ['src/app/main.ts', imp('../index.ts')],
    ['src/app/main.ts', imp('ordo')],
    ['src/stray.ts', imp('./core/assert.ts')],
    ['src/engine/x.ts', imp('../unknown/y.ts')],
  ];
  for (const [path, i] of bad) {
    assert.notDeepEqual(
      checkImport(at(path), i),
      [],
      `${path} importing '${i.specifier}' should be rejected`,
    );
  }
  const good: [string, ImportRef][] = [
    ['src/core/decimal.ts', imp('./assert.ts')],
    ['src/model/order.ts', imp('../core/ids.ts')],
    ['src/engine/engine.ts', imp('../risk/check.ts')],
    ['src/engine/engine.ts', imp('../portfolio/portfolio.ts')],
    ['src/engine/engine.ts', imp('node:fs', true)],
    ['src/core/x.test.ts', imp('node:test')],
    ['src/risk/x.test.ts', imp('fast-check')],
    ['src/engine/x.test.ts', imp('../../test/helpers.ts')],
    ['src/data/replay.ts', imp('../engine/market-data-port.ts')],
    ['src/data/replay.ts', imp('node:fs')],
    ['src/venues/paper/paper.ts', imp('./book.ts')],
    ['src/venues/paper/paper.ts', imp('../capabilities.ts')],
    ['src/venues/binance/client.ts', imp('node:crypto')],
    ['src/journal/sqlite.ts', imp('../engine/journal-port.ts')],
    ['src/api/server.ts', imp('../journal/sqlite.ts')],
    ['src/app/main.ts', imp('../venues/paper/paper.ts')],
    ['src/app/main.ts', imp('../api/server.ts')],
    ['src/app/main.ts', imp('./config.ts')],
    ['src/web/main.ts', imp('../api/contract.ts')],
    ['src/web/main.ts', imp('./chart.ts')],
    ['src/index.ts', imp('./app/main.ts')],
    ['src/index.ts', imp('./web/main.ts')],
  ];
  for (const [path, i] of good) {
    assert.deepEqual(checkImport(at(path), i), [], `${path} importing '${i.specifier}' should be allowed`);
  }
});

test('self-check: the clock and random scan ignores comments and strings', () => {
  const text = [
    '// Date.now() and Math.random() are only mentioned here',
    "const s = 'new Date()';",
    'const t = Date.now();',
    'const d = new Date();',
    'const e = new Date(0);',
    'const r = Math.random();',
  ].join('\n');
  assert.deepEqual(findHiddenInputs('src/engine/x.ts', text), [
    '3 uses Date.now',
    '4 uses new Date()',
    '6 uses Math.random',
  ]);
});

test('the scan sees the source tree', () => {
  assert.ok(SRC_FILES.length > 10, `expected more than 10 files under src/, found ${SRC_FILES.length}`);
  const imports = SRC_FILES.reduce((n, f) => n + parseImports(f.path, f.text).length, 0);
  assert.ok(imports > 10, `expected more than 10 imports under src/, found ${imports}`);
});

test('every import in src follows the dependency rule', () => {
  const broken: string[] = [];
  for (const file of SRC_FILES) {
    if (layerOf(file.path) === undefined) {
      broken.push(`${file.path}: is in no layer (${LAYERS.join(', ')}, or ${LIBRARY_ENTRY})`);
      continue;
    }
    const from: SourceInfo = { path: file.path, isTest: isTestFile(file.path) };
    for (const imp of parseImports(file.path, file.text)) {
      for (const why of checkImport(from, imp))
        broken.push(`${file.path}:${imp.line} imports '${imp.specifier ?? '<computed>'}': ${why}`);
    }
  }
  if (broken.length > 0) assert.fail(`dependency rule broken:\n  ${broken.join('\n  ')}`);
});

test('deterministic layers read no clock and no random source', () => {
  const broken: string[] = [];
  let scanned = 0;
  for (const file of SRC_FILES) {
    const layer = layerOf(file.path);
    if (layer === undefined || layer === 'entry' || !DETERMINISTIC.has(layer) || isTestFile(file.path))
      continue;
    scanned++;
    for (const hit of findHiddenInputs(file.path, file.text)) broken.push(`${file.path}:${hit}`);
  }
  assert.ok(scanned > 0, 'no file of a deterministic layer was scanned');
  if (broken.length > 0)
    assert.fail(
      `hidden inputs in deterministic layers (pass time and randomness in through core/ports.ts):\n  ${broken.join('\n  ')}`,
    );
});
