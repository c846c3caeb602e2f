// Turns a generic object's properties into its layout as the engine does: the properties are copied,
// and every `qHyperCubeDef` / `qListObjectDef` / `qFieldListDef` is replaced by the computed
// `qHyperCube` / `qListObject` / `qFieldList` (dimension and measure info, size, the pages asked for in
// `qInitialDataFetch`, the app's fields).
import { cellText, DocModel, parseMeasure, type NxCell, type ParsedMeasure } from './doc-model';
import type { CellValue } from './app-data';

export interface NxPage {
  qLeft: number;
  qTop: number;
  qWidth: number;
  qHeight: number;
}

export interface NxDataPage {
  qMatrix: NxCell[][];
  qTails: unknown[];
  qArea: NxPage;
}

type Json = Record<string, unknown>;

/** LOCERR_CALC_INVALID_DEF: what a dimension or measure the simulated engine cannot evaluate reports. */
const CALC_INVALID_DEF = { qErrorCode: 7000 };

const NUM_FORMAT = { qType: 'U', qnDec: 10, qUseThou: 0 };

function asObject(value: unknown): Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Json) : {};
}

function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

/** The field a dimension definition names (`qDef.qFieldDefs[0]`, a leading `=` or brackets removed). */
function dimensionField(dim: unknown): string {
  const first = asArray(asObject(asObject(dim).qDef).qFieldDefs)[0];
  return typeof first === 'string'
    ? first
        .replace(/^=/, '')
        .replace(/^\[(.*)\]$/, '$1')
        .trim()
    : '';
}

function measureExpression(measure: unknown): string {
  const def = asObject(asObject(measure).qDef).qDef;
  return typeof def === 'string' ? def : '';
}

function measureLabel(measure: unknown): string {
  const label = asObject(asObject(measure).qDef).qLabel;
  return typeof label === 'string' && label ? label : measureExpression(measure);
}

function formatNumber(n: number): string {
  if (Number.isNaN(n)) return '-';
  return Number.isInteger(n) ? String(n) : n.toFixed(2);
}

interface CubeRows {
  dims: string[];
  measures: Array<ParsedMeasure | undefined>;
  /** Each row: the dimension values, then the measure values. */
  rows: Array<{ keys: CellValue[]; values: number[] }>;
}

/** Groups the possible rows by the cube's dimensions, in load order, and aggregates each measure. */
function cubeRows(def: Json, doc: DocModel): CubeRows {
  const dims = asArray(def.qDimensions).map(dimensionField);
  const measures = asArray(def.qMeasures).map((m) => parseMeasure(measureExpression(m)));
  const possible = doc.possibleRows();
  const usable = dims.every((d) => doc.hasField(d));
  const groups = new Map<string, { keys: CellValue[]; rows: CellValue[][] }>();
  if (usable) {
    const cols = dims.map((d) => doc.column(d));
    for (const row of possible) {
      const keys = cols.map((c) => row[c]!);
      const id = keys.map(cellText).join('\u0000');
      let group = groups.get(id);
      if (!group) groups.set(id, (group = { keys, rows: [] }));
      group.rows.push(row);
    }
  }
  // A cube with measures only has one row: the totals.
  if (dims.length === 0) groups.set('', { keys: [], rows: possible });
  const rows = [...groups.values()].map((g) => ({
    keys: g.keys,
    values: measures.map((m) => (m ? doc.aggregate(m, g.rows) : Number.NaN)),
  }));
  return { dims, measures, rows };
}

function dimensionCell(doc: DocModel, field: string, value: CellValue): NxCell {
  const text = cellText(value);
  return {
    qText: text,
    qNum: typeof value === 'number' ? value : 'NaN',
    qElemNumber: doc.values(field).findIndex((v) => cellText(v) === text),
    qState: doc.selected(field).has(text) ? 'S' : 'O',
  };
}

function measureCell(value: number): NxCell {
  return { qText: formatNumber(value), qNum: Number.isNaN(value) ? 'NaN' : value, qElemNumber: 0, qState: 'L' };
}

function cubeMatrix(doc: DocModel, cube: CubeRows): NxCell[][] {
  return cube.rows.map((row) => [...row.keys.map((key, i) => dimensionCell(doc, cube.dims[i]!, key)), ...row.values.map(measureCell)]);
}

/** Cuts the requested pages out of a full matrix, clamped to its size, as GetHyperCubeData answers. */
function pagesOf(matrix: NxCell[][], width: number, pages: unknown[]): NxDataPage[] {
  return pages.map((raw) => {
    const page = asObject(raw);
    const left = Math.max(0, Number(page.qLeft) || 0);
    const top = Math.max(0, Number(page.qTop) || 0);
    const w = Math.max(0, Math.min(Number(page.qWidth) || 0, width - left));
    const h = Math.max(0, Math.min(Number(page.qHeight) || 0, matrix.length - top));
    const qMatrix = matrix.slice(top, top + h).map((row) => row.slice(left, left + w));
    return { qMatrix, qTails: [], qArea: { qLeft: left, qTop: top, qWidth: w, qHeight: qMatrix.length } };
  });
}

function stateCounts(doc: DocModel, field: string): Json {
  const possible = doc.possibleValues(field);
  let selected = 0;
  let option = 0;
  let excluded = 0;
  for (const value of doc.values(field)) {
    const state = doc.valueState(field, cellText(value), possible);
    if (state === 'S') selected++;
    else if (state === 'O') option++;
    else excluded++;
  }
  return { qLocked: 0, qSelected: selected, qOption: option, qDeselected: 0, qAlternative: 0, qExcluded: excluded, qSelectedExcluded: 0, qLockedExcluded: 0 };
}

function dimensionInfo(doc: DocModel, field: string): Json {
  const values = doc.values(field);
  const numeric = values.length > 0 && values.every((v) => typeof v === 'number');
  const info: Json = {
    qFallbackTitle: field,
    qApprMaxGlyphCount: Math.max(0, ...values.map((v) => cellText(v).length)),
    qCardinal: values.length,
    qSortIndicator: 'A',
    qGroupFallbackTitles: [field],
    qGroupPos: 0,
    qStateCounts: stateCounts(doc, field),
    qTags: [],
    qDimensionType: numeric ? 'N' : 'D',
    qGrouping: 'N',
    qNumFormat: NUM_FORMAT,
    qIsAutoFormat: true,
    qGroupFieldDefs: [field],
    qMin: numeric ? Math.min(...(values as number[])) : 'NaN',
    qMax: numeric ? Math.max(...(values as number[])) : 'NaN',
    qAttrExprInfo: [],
    qAttrDimInfo: [],
    qCardinalities: { qCardinal: values.length, qHypercubeCardinal: values.length, qAllValuesCardinal: -1 },
  };
  if (!doc.hasField(field)) info.qError = CALC_INVALID_DEF;
  return info;
}

function measureInfo(label: string, values: number[], parsed: ParsedMeasure | undefined): Json {
  const numbers = values.filter((v) => !Number.isNaN(v));
  const info: Json = {
    qFallbackTitle: label,
    qApprMaxGlyphCount: Math.max(1, ...values.map((v) => formatNumber(v).length)),
    qCardinal: 0,
    qSortIndicator: 'D',
    qNumFormat: NUM_FORMAT,
    qMin: numbers.length ? Math.min(...numbers) : 'NaN',
    qMax: numbers.length ? Math.max(...numbers) : 'NaN',
    qIsAutoFormat: true,
    qAttrExprInfo: [],
    qAttrDimInfo: [],
    qTrendLines: [],
  };
  if (!parsed) info.qError = CALC_INVALID_DEF;
  return info;
}

/** GetHyperCubeData's answer for the cube defined by `def`. */
export function hyperCubeData(def: Json, doc: DocModel, pages: unknown[]): NxDataPage[] {
  const cube = cubeRows(def, doc);
  return pagesOf(cubeMatrix(doc, cube), cube.dims.length + cube.measures.length, pages);
}

/** The full matrix (every row, every column) of the cube: what an export writes. */
export function hyperCubeTable(def: Json, doc: DocModel): { headers: string[]; matrix: NxCell[][] } {
  const cube = cubeRows(def, doc);
  const headers = [...cube.dims, ...asArray(def.qMeasures).map(measureLabel)];
  return { headers, matrix: cubeMatrix(doc, cube) };
}

function hyperCube(def: Json, doc: DocModel): Json {
  const cube = cubeRows(def, doc);
  const width = cube.dims.length + cube.measures.length;
  const matrix = cubeMatrix(doc, cube);
  const measureDefs = asArray(def.qMeasures);
  return {
    qSize: { qcx: width, qcy: cube.rows.length },
    qDimensionInfo: cube.dims.map((field) => dimensionInfo(doc, field)),
    qMeasureInfo: cube.measures.map((parsed, i) =>
      measureInfo(
        measureLabel(measureDefs[i]),
        cube.rows.map((r) => r.values[i]!),
        parsed,
      ),
    ),
    qEffectiveInterColumnSortOrder: Array.from({ length: width }, (_, i) => i),
    qGrandTotalRow: cube.measures.map((parsed) => measureCell(parsed ? doc.aggregate(parsed, doc.possibleRows()) : Number.NaN)),
    qDataPages: pagesOf(matrix, width, asArray(def.qInitialDataFetch)),
    qPivotDataPages: [],
    qStackedDataPages: [],
    qMode: typeof def.qMode === 'string' ? def.qMode : 'S',
    qNoOfLeftDims: -1,
    qTreeNodesOnDim: [],
    qColumnOrder: asArray(def.qColumnOrder),
    qHasOtherValues: false,
    qTitle: '',
    qCalcCondMsg: '',
  };
}

function listObject(def: Json, doc: DocModel): Json {
  const field = dimensionField(def.qDef === undefined ? {} : { qDef: def.qDef });
  const possible = doc.possibleValues(field);
  const matrix: NxCell[][] = doc
    .values(field)
    .map((value, i) => [
      { qText: cellText(value), qNum: typeof value === 'number' ? value : 'NaN', qElemNumber: i, qState: doc.valueState(field, cellText(value), possible) },
    ]);
  return {
    qSize: { qcx: 1, qcy: matrix.length },
    qDimensionInfo: dimensionInfo(doc, field),
    qExpressions: [],
    qDataPages: pagesOf(matrix, 1, asArray(def.qInitialDataFetch)),
  };
}

/** A field list (`qFieldListDef`): every field of the app, as a generic client discovers a data model. */
function fieldList(doc: DocModel): Json {
  return {
    qItems: doc.table.fields.map((name) => {
      const values = doc.values(name);
      const numeric = values.length > 0 && values.every((v) => typeof v === 'number');
      return { qName: name, qCardinal: values.length, qTags: numeric ? ['$numeric', '$integer'] : ['$ascii', '$text'], qSrcTables: ['Data'] };
    }),
  };
}

/** Properties -> layout, recursively, with `qInfo` kept and computed parts in place of their definitions. */
export function layoutOf(props: Json, doc: DocModel): Json {
  const walk = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(walk);
    if (typeof value !== 'object' || value === null) return value;
    const out: Json = {};
    for (const [key, inner] of Object.entries(value as Json)) {
      if (key === 'qHyperCubeDef') out.qHyperCube = hyperCube(asObject(inner), doc);
      else if (key === 'qListObjectDef') out.qListObject = listObject(asObject(inner), doc);
      else if (key === 'qFieldListDef') out.qFieldList = fieldList(doc);
      else out[key] = walk(inner);
    }
    return out;
  };
  const layout = walk(props) as Json;
  layout.qSelectionInfo ??= {};
  return layout;
}

/** The object definition at a JSON path such as `/qHyperCubeDef` (undefined when the path leads nowhere). */
export function definitionAt(props: Json, path: string): Json | undefined {
  let current: unknown = props;
  for (const part of path.split('/').filter(Boolean)) {
    if (typeof current !== 'object' || current === null) return undefined;
    current = (current as Json)[part];
  }
  return typeof current === 'object' && current !== null && !Array.isArray(current) ? (current as Json) : undefined;
}
