// What the seed-003 scenario does over a tab's engine WebSocket, written once for every kind of tab (a
// Node client for the CLI, a browser partition for the console). It works on any Qlik Sense app: the data
// model is discovered (a field list), a value of the first field is selected, and a straight table on that
// field is exported, so no app-specific names are needed.
import type { EngineTab } from '../qlik/engine-rpc';

export type { EngineTab } from '../qlik/engine-rpc';

/** Where a tab opens the engine socket, and where it gets the csrf token a November 2024 proxy asks for. */
export interface EngineAddress {
  /** `wss://host/{prefix}/app/{appId}` (no token). */
  socketUrl: string;
  /** `https://host/{prefix}/qps/csrftoken`. */
  csrfTokenUrl: string;
}

export interface OpenedApp {
  doc: number;
  /** Who the engine session belongs to (`UserDirectory=...; UserId=...`), fixed when the socket connected. */
  user: string;
}

export async function openApp(engine: EngineTab, appId: string): Promise<OpenedApp> {
  const user = (await engine.call(-1, 'GetAuthenticatedUser', [])).qReturn as string;
  const doc = (await engine.call(-1, 'OpenDoc', [appId])).qReturn.qHandle as number;
  return { doc, user };
}

export interface Selection {
  field: string;
  value: string;
  /** The engine's own state of the value afterwards: 'S' when the selection took. */
  state: string;
  user: string;
}

/** Selects the first value of the app's first field and reads back its state (a list object). */
export async function selectFirstValue(engine: EngineTab, doc: number): Promise<Selection> {
  const list = (await engine.call(doc, 'CreateSessionObject', [{ qInfo: { qType: 'usher-fields' }, qFieldListDef: {} }])).qReturn.qHandle as number;
  const items = ((await engine.call(list, 'GetLayout', [])).qLayout.qFieldList?.qItems ?? []) as Array<{ qName: string }>;
  const field = items.find((i) => !i.qName.startsWith('$'))?.qName;
  if (!field) throw new Error('the app has no field to select in');
  const listObject = {
    qInfo: { qType: 'usher-listbox' },
    qListObjectDef: { qDef: { qFieldDefs: [field] }, qInitialDataFetch: [{ qLeft: 0, qTop: 0, qWidth: 1, qHeight: 1 }] },
  };
  const box = (await engine.call(doc, 'CreateSessionObject', [listObject])).qReturn.qHandle as number;
  const first = (await engine.call(box, 'GetLayout', [])).qLayout.qListObject.qDataPages[0].qMatrix[0][0] as { qText: string };
  const fieldHandle = (await engine.call(doc, 'GetField', [field])).qReturn.qHandle as number;
  await engine.call(fieldHandle, 'SelectValues', [[{ qText: first.qText }]]);
  const after = (await engine.call(box, 'GetLayout', [])).qLayout.qListObject.qDataPages[0].qMatrix[0][0] as { qState: string };
  const user = (await engine.call(-1, 'GetAuthenticatedUser', [])).qReturn as string;
  return { field, value: first.qText, state: after.qState, user };
}

/** Starts an export of a straight table on `field` (as a mashup's export button does); the file's URL. */
export async function startExport(engine: EngineTab, doc: number, field: string): Promise<string> {
  const table = {
    qInfo: { qType: 'usher-export' },
    qHyperCubeDef: { qDimensions: [{ qDef: { qFieldDefs: [field] } }], qMeasures: [], qInitialDataFetch: [] },
  };
  const handle = (await engine.call(doc, 'CreateSessionObject', [table])).qReturn.qHandle as number;
  const result = await engine.call(handle, 'ExportData', ['CSV_C', '/qHyperCubeDef', '', 'EXPORT_POSSIBLE']);
  return result.qUrl as string;
}

/** `UserDirectory=D; UserId=u` as `D\u`, to compare with a tab's user. */
export function engineUserRef(value: string): { userDirectory: string; userId: string } | undefined {
  const dir = /UserDirectory=([^;]*)/i.exec(value)?.[1]?.trim();
  const id = /UserId=([^;]*)/i.exec(value)?.[1]?.trim();
  return dir && id ? { userDirectory: dir, userId: id } : undefined;
}
