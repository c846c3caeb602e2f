// The layer table of docs/architecture.md, read as rules, and the check of one file's imports against
// them. The table is the only statement of the rules: the boundary test reads it from the doc, so the
// doc and the test cannot disagree.
import { builtinModules } from 'node:module';
import { dirname, posix } from 'node:path';
import ts from 'typescript';

export interface LayerRule {
  layer: string;
  /** Path prefixes (repo-relative); a file belongs to the row with the longest matching prefix. */
  files: string[];
  /** Layer names, `node`, `dependencies`, `devDependencies` and package names this layer may import. */
  mayImport: Set<string>;
}

export interface PackageLists {
  dependencies: Set<string>;
  devDependencies: Set<string>;
}

const START = '<!-- layer-table:start -->';
const END = '<!-- layer-table:end -->';

function cells(line: string): string[] {
  return line
    .trim()
    .replace(/^\|/, '')
    .replace(/\|$/, '')
    .split('|')
    .map((cell) => cell.trim());
}

function words(cell: string): string[] {
  return cell
    .split(',')
    .map((word) => word.replace(/`/g, '').trim())
    .filter((word) => word !== '' && word !== '-');
}

/** The rows between the table markers of the doc: `| layer | files | may import | ... |`. */
export function parseLayerTable(markdown: string): LayerRule[] {
  const start = markdown.indexOf(START);
  const end = markdown.indexOf(END);
  if (start < 0 || end < start) throw new Error(`the layer table markers ${START} ... ${END} are missing`);
  const rows = markdown
    .slice(start + START.length, end)
    .split('\n')
    .filter((line) => line.trim().startsWith('|'))
    .map(cells);
  const [header, , ...body] = rows;
  if (!header || header[0] !== 'layer' || header[1] !== 'files' || header[2] !== 'may import') {
    throw new Error('the layer table must start with the columns: layer | files | may import');
  }
  return body.map(([layer, files, mayImport]) => ({ layer: layer!.replace(/`/g, ''), files: words(files ?? ''), mayImport: new Set(words(mayImport ?? '')) }));
}

/** The row a repo-relative path belongs to: the longest prefix wins. */
export function layerOf(rules: LayerRule[], path: string): LayerRule | undefined {
  let best: { rule: LayerRule; length: number } | undefined;
  for (const rule of rules) {
    for (const prefix of rule.files) {
      if (path.startsWith(prefix) && (!best || prefix.length > best.length)) best = { rule, length: prefix.length };
    }
  }
  return best?.rule;
}

/** Module specifiers a source imports (static, dynamic, require, re-export), as TypeScript's scanner reads them. */
export function importsOf(text: string): string[] {
  return ts.preProcessFile(text, true, true).importedFiles.map((ref) => ref.fileName);
}

function packageName(spec: string): string {
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

const NODE_BUILTINS = new Set(builtinModules);

/** Why `file` may not import `spec`, or undefined when its layer allows it. */
function refusal(rules: LayerRule[], packages: PackageLists, file: string, rule: LayerRule, spec: string): string | undefined {
  if (spec.startsWith('.')) {
    const target = posix.normalize(posix.join(dirname(file).replace(/\\/g, '/'), spec));
    const targetRule = layerOf(rules, target);
    if (!targetRule) return `${target} is in no layer of the table`;
    if (targetRule === rule || rule.mayImport.has(targetRule.layer)) return undefined;
    return `${rule.layer} may not import ${targetRule.layer}`;
  }
  if (spec.startsWith('node:') || NODE_BUILTINS.has(spec)) return rule.mayImport.has('node') ? undefined : `${rule.layer} may not import Node built-ins`;
  const name = packageName(spec);
  if (rule.mayImport.has(name)) return undefined;
  // `electron` is never covered by a package list: only the rows that name it may load it.
  if (name !== 'electron') {
    if (packages.dependencies.has(name) && rule.mayImport.has('dependencies')) return undefined;
    if (packages.devDependencies.has(name) && rule.mayImport.has('devDependencies')) return undefined;
  }
  return `${rule.layer} may not import the package ${name}`;
}

/** `file: spec (why)` for each import of `file` its layer does not allow; files in no layer are refused whole. */
export function violations(rules: LayerRule[], packages: PackageLists, file: string, text: string): string[] {
  const rule = layerOf(rules, file);
  if (!rule) return [`${file}: in no layer of the table (add its folder to a row)`];
  return importsOf(text).flatMap((spec) => {
    const why = refusal(rules, packages, file, rule, spec);
    return why ? [`${file}: ${spec} (${why})`] : [];
  });
}

const RESOLVE_SUFFIXES = ['', '.ts', '.tsx', '.mts', '.cts', '.js', '.mjs', '.cjs', '/index.ts', '/index.tsx', '/index.js'];

/**
 * Circles of relative imports (type-only imports too: they tie the modules' meaning together even
 * when the build drops them) among `files`, each as its files in name order; `texts` gives a file's
 * source. Tarjan's strongly connected components: a circle is a component of two or more files, or a
 * file importing itself.
 */
export function importCircles(files: string[], texts: (file: string) => string): string[][] {
  const known = new Set(files);
  const edges = new Map<string, string[]>();
  for (const file of files) {
    const targets = importsOf(texts(file))
      .filter((spec) => spec.startsWith('.'))
      .map((spec) => posix.normalize(posix.join(dirname(file), spec)))
      .map((base) => RESOLVE_SUFFIXES.map((suffix) => base + suffix).find((candidate) => known.has(candidate)))
      .filter((target): target is string => target !== undefined);
    edges.set(file, targets);
  }
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const circles: string[][] = [];
  const visit = (file: string): void => {
    index.set(file, index.size);
    low.set(file, index.get(file)!);
    stack.push(file);
    onStack.add(file);
    for (const target of edges.get(file)!) {
      if (!index.has(target)) {
        visit(target);
        low.set(file, Math.min(low.get(file)!, low.get(target)!));
      } else if (onStack.has(target)) low.set(file, Math.min(low.get(file)!, index.get(target)!));
    }
    if (low.get(file) !== index.get(file)) return;
    const component: string[] = [];
    let member: string;
    do {
      member = stack.pop()!;
      onStack.delete(member);
      component.push(member);
    } while (member !== file);
    if (component.length > 1 || edges.get(file)!.includes(file)) circles.push(component.sort());
  };
  for (const file of files) if (!index.has(file)) visit(file);
  return circles;
}
