// The simulated engine's methods, called as the socket calls them (dispatch), without a network: the
// answers and QIX errors a client depends on, and the data logic behind hypercubes, selections and exports.
import { beforeEach, describe, expect, it } from 'vitest';
import { dispatch } from '../../electron/simulator/engine/dispatch';
import { EngineSession } from '../../electron/simulator/engine/engine-session';
import { ExportStore } from '../../electron/simulator/engine/export-store';
import type { CallContext } from '../../electron/simulator/engine/handlers';
import { demoSite } from '../../electron/simulator/demo-site';

const TABLE = {
  qInfo: { qId: 'tbl', qType: 'table' },
  qHyperCubeDef: {
    qDimensions: [{ qDef: { qFieldDefs: ['Region'] } }],
    qMeasures: [{ qDef: { qDef: 'Sum(Sales)' } }, { qDef: { qDef: 'Count(distinct Product)' } }, { qDef: { qDef: 'Median(Sales)' } }],
    qInitialDataFetch: [{ qLeft: 0, qTop: 0, qWidth: 4, qHeight: 10 }],
  },
};

let ctx: CallContext;
const call = (handle: number, method: string, params: unknown = []) => dispatch(ctx, handle, method, params);
const rows = (layout: any) => layout.qHyperCube.qDataPages[0].qMatrix.map((r: any[]) => r.map((c) => c.qText));

beforeEach(() => {
  ctx = { session: new EngineSession('k', 'node-central', { userDirectory: 'DEMO', userId: 'alice' }), site: demoSite(), exports: new ExportStore() };
});

function openSales(): { doc: number; table: number } {
  const doc = (call(-1, 'OpenDoc', ['a1-sales']).result.qReturn as any).qHandle as number;
  const table = (call(doc, 'CreateSessionObject', [TABLE]).result.qReturn as any).qHandle as number;
  return { doc, table };
}

describe('engine dispatch', () => {
  it('answers QIX errors for a closed doc, a second OpenDoc, and methods it does not model', () => {
    expect(() => call(-1, 'GetActiveDoc')).toThrow(expect.objectContaining({ code: 1017 }));
    const { doc } = openSales();
    expect(call(-1, 'GetActiveDoc').result.qReturn).toMatchObject({ qType: 'Doc', qHandle: doc });
    expect(() => call(-1, 'OpenDoc', ['a1-sales'])).toThrow(expect.objectContaining({ code: 1002, message: 'App already open' }));
    // In the schema but not modelled: "not implemented" (20), not "method not found".
    expect(() => call(doc, 'DoReload', [])).toThrow(expect.objectContaining({ code: 20, parameter: 'DoReload' }));
    // A Field method on a Doc handle is not found, as the engine answers it.
    expect(() => call(doc, 'SelectValues', [[]])).toThrow(expect.objectContaining({ code: -32601, parameter: 'SelectValues' }));
  });

  it('computes measures over the possible rows, and marks an expression it cannot evaluate', () => {
    const { table } = openSales();
    const layout = call(table, 'GetLayout').result.qLayout as any;
    expect(rows(layout)).toEqual([
      ['North', '2950', '2', '-'],
      ['South', '1415', '3', '-'],
      ['East', '1040', '2', '-'],
      ['West', '1450', '2', '-'],
    ]);
    expect(layout.qHyperCube.qMeasureInfo[2].qError).toEqual({ qErrorCode: 7000 });
    expect(layout.qHyperCube.qMeasureInfo[0].qError).toBeUndefined();
    expect(layout.qHyperCube.qGrandTotalRow[0]).toMatchObject({ qNum: 6855 });
  });

  it('selects by value, by search with wildcards and by toggling; clears; and reports changes', () => {
    const { doc, table } = openSales();
    const region = (call(doc, 'GetField', ['Region']).result.qReturn as any).qHandle;
    const product = (call(doc, 'GetField', ['Product']).result.qReturn as any).qHandle;
    expect(call(doc, 'GetField', ['Region']).result.qReturn).toMatchObject({ qHandle: region });
    const selected = call(region, 'Select', ['*th']);
    expect(selected.changed).toEqual(expect.arrayContaining([doc, table]));
    expect(rows(call(table, 'GetLayout').result.qLayout).map((r: string[]) => r[0])).toEqual(['North', 'South']);
    call(region, 'ToggleSelect', ['North']);
    expect(rows(call(table, 'GetLayout').result.qLayout).map((r: string[]) => r[0])).toEqual(['South']);
    // Another field narrows further; an unchanged selection reports no change.
    call(product, 'SelectValues', [[{ qText: 'Lights' }]]);
    expect(rows(call(table, 'GetLayout').result.qLayout)).toEqual([['South', '190', '1', '-']]);
    expect(call(product, 'SelectValues', [[{ qText: 'lights' }]]).changed).toBeUndefined();
    expect(call(product, 'GetCardinal').result.qReturn).toBe(3);
    call(doc, 'ClearAll');
    expect(rows(call(table, 'GetLayout').result.qLayout)).toHaveLength(4);
    // A field the app does not have: a handle, but nothing to select.
    const none = (call(doc, 'GetField', ['Nope']).result.qReturn as any).qHandle;
    expect(call(none, 'SelectValues', [[{ qText: 'x' }]]).result.qReturn).toBe(false);
  });

  it('lays out list objects with value states and a field list', () => {
    const { doc } = openSales();
    const box = (
      call(doc, 'CreateSessionObject', [
        { qInfo: { qType: 'lb' }, qListObjectDef: { qDef: { qFieldDefs: ['Product'] }, qInitialDataFetch: [{ qLeft: 0, qTop: 0, qWidth: 1, qHeight: 5 }] } },
      ]).result.qReturn as any
    ).qHandle;
    const region = (call(doc, 'GetField', ['Region']).result.qReturn as any).qHandle;
    call(region, 'SelectValues', [[{ qText: 'East' }]]);
    const states = (call(box, 'GetLayout').result.qLayout as any).qListObject.qDataPages[0].qMatrix.map((r: any[]) => `${r[0].qText}:${r[0].qState}`);
    expect(states).toEqual(['Bikes:O', 'Helmets:X', 'Lights:O']);
    const fields = (call(doc, 'CreateSessionObject', [{ qInfo: { qType: 'f' }, qFieldListDef: {} }]).result.qReturn as any).qHandle;
    expect((call(fields, 'GetLayout').result.qLayout as any).qFieldList.qItems.map((i: any) => i.qName)).toEqual(['Region', 'Product', 'Year', 'Sales']);
  });

  it('exports what the selections leave (or everything), CSV or tab-separated, to its session user only', () => {
    const { doc, table } = openSales();
    call((call(doc, 'GetField', ['Region']).result.qReturn as any).qHandle, 'SelectValues', [[{ qText: 'West' }]]);
    const file = (url: unknown) => {
      const [id, name] = String(url).split('?')[0]!.split('/').slice(2);
      return ctx.exports.take(id!, decodeURIComponent(name!), { userDirectory: 'DEMO', userId: 'alice' });
    };
    const possible = file(call(table, 'ExportData', ['CSV_C', '/qHyperCubeDef']).result.qUrl);
    expect(possible.kind === 'file' && possible.file.body.toString()).toBe('Region,Sum(Sales),Count(distinct Product),Median(Sales)\r\nWest,1450,2,-\r\n');
    const all = file(call(table, 'ExportData', ['EXPORT_CSV_T', '/qHyperCubeDef', '', 'EXPORT_ALL']).result.qUrl);
    expect(all.kind === 'file' && all.file.body.toString().split('\r\n')).toHaveLength(6);
    expect(all.kind === 'file' && all.file.body.toString()).toContain('North\t2950\t2\t-');
    expect(() => call(table, 'ExportData', ['OOXML', '/qHyperCubeDef'])).toThrow(expect.objectContaining({ code: 20 }));
    expect(() => call(table, 'ExportData', ['PDF', '/qHyperCubeDef'])).toThrow(expect.objectContaining({ code: -32602, parameter: 'qFileType' }));
    const url = String(call(table, 'ExportData', [0]).result.qUrl)
      .split('?')[0]!
      .split('/');
    expect(ctx.exports.take(url[2]!, decodeURIComponent(url[3]!), { userDirectory: 'DEMO', userId: 'bob' })).toEqual({ kind: 'forbidden' });
  });

  it('keeps objects by id: GetObject, SetProperties, DestroySessionObject', () => {
    const { doc, table } = openSales();
    expect(call(doc, 'GetObject', ['tbl']).result.qReturn).toMatchObject({ qHandle: table, qGenericId: 'tbl', qGenericType: 'table' });
    expect(call(doc, 'GetObject', ['missing']).result.qReturn).toEqual({ qType: null, qHandle: null });
    const props = call(table, 'GetProperties').result.qProp as any;
    props.qHyperCubeDef.qMeasures = [];
    expect(call(table, 'SetProperties', [props]).changed).toEqual([table]);
    expect((call(table, 'GetLayout').result.qLayout as any).qHyperCube.qSize).toEqual({ qcx: 1, qcy: 4 });
    expect(() => call(doc, 'CreateSessionObject', [TABLE])).toThrow(expect.objectContaining({ code: 3 }));
    expect(call(doc, 'DestroySessionObject', ['tbl'])).toEqual({ result: { qSuccess: true }, closed: [table] });
    expect(() => call(table, 'GetLayout')).toThrow(expect.objectContaining({ code: -32602 }));
  });
});
