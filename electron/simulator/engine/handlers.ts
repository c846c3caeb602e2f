// What each modelled engine method does, per class (Global, Doc, GenericObject, Field). Each handler
// gets its parameters already bound and checked against the schema (params.ts) and returns the result
// object keyed by the schema's out names (`qReturn` when the schema declares none). A result is never
// mutated after it is returned (sockets keep it to diff the next one against).
import { randomUUID } from 'node:crypto';
import { findApp, qrsGuid, userMayOpenApp, type AppDescription, type SiteDescription } from '../site';
import { appData } from './app-data';
import { cellText, DocModel, type FieldValueInput } from './doc-model';
import type { EngineSession, HandleEntry, SessionObject } from './engine-session';
import type { ExportStore } from './export-store';
import { definitionAt, hyperCubeData, hyperCubeTable, layoutOf } from './layout';
import { accessDenied, invalidParams, QIX, QixError } from './qix-error';
import { enumValue } from './params';
import { QIX_ENUMS, QIX_SCHEMA_VERSION, type QixClass } from './qix-schema';

export interface CallContext {
  session: EngineSession;
  site: SiteDescription;
  exports: ExportStore;
}

export interface CallOutcome {
  result: Record<string, unknown>;
  /** Handles whose layout changed: sent as `change` so clients refetch. */
  changed?: number[];
  /** Handles that no longer exist: sent as `close`. */
  closed?: number[];
}

type Params = Record<string, unknown>;
type Handler<E extends HandleEntry = HandleEntry> = (ctx: CallContext, entry: E, params: Params) => CallOutcome;

/** An app's id as the engine and QRS report it (a GUID; the site file's own id opens it too). */
const docId = (app: AppDescription): string => qrsGuid('app', app.id);

const ok = (result: Record<string, unknown>): CallOutcome => ({ result });

function handleRef(entry: HandleEntry, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { qType: entry.type, qHandle: entry.handle, ...extra };
}

function openDoc(ctx: CallContext) {
  const doc = ctx.session.doc;
  if (!doc) throw new QixError(QIX.LOCERR_APP_NOT_OPEN, '', 'App not open');
  return doc;
}

/** Everything a selection can change: the doc, its objects and fields. */
function afterSelection(ctx: CallContext, changed: boolean, result: Record<string, unknown>): CallOutcome {
  return changed ? { result, changed: ctx.session.liveHandles() } : { result };
}

const GLOBAL: Record<string, Handler> = {
  GetDocList: (ctx) => {
    const apps = ctx.site.apps.filter((app) => userMayOpenApp(ctx.site, app.id, ctx.session.user));
    return ok({
      qDocList: apps.map((app) => ({
        qDocName: app.name,
        qConnectedUsers: 0,
        qFileTime: 0,
        qFileSize: 0,
        qDocId: docId(app),
        qMeta: { createdDate: '2024-11-12T09:00:00.000Z', modifiedDate: '2024-11-12T09:00:00.000Z', published: true, privileges: ['read'] },
        qLastReloadTime: '2024-11-12T09:00:00.000Z',
        qReadOnly: false,
        qTitle: app.name,
        qThumbnail: { qUrl: '' },
      })),
    });
  },
  OpenDoc: (ctx, _entry, params) => {
    const appId = params.qDocName as string;
    const app = findApp(ctx.site, appId);
    if (!app) throw new QixError(QIX.LOCERR_APP_NOT_FOUND, appId, 'App not found');
    // The engine applies the site's access rules to the socket's user, not to the browser's cookie.
    if (!userMayOpenApp(ctx.site, app.id, ctx.session.user)) throw accessDenied();
    if (ctx.session.doc) throw new QixError(QIX.LOCERR_APP_ALREADY_OPEN, appId, 'App already open');
    const entry = ctx.session.open('Doc');
    ctx.session.doc = { app, model: new DocModel(appData(app)), handle: entry.handle };
    return ok({ qReturn: handleRef(entry, { qGenericId: docId(app) }) });
  },
  GetActiveDoc: (ctx) => {
    const doc = openDoc(ctx);
    return ok({ qReturn: { qType: 'Doc', qHandle: doc.handle, qGenericId: docId(doc.app) } });
  },
  EngineVersion: () => ok({ qVersion: { qComponentVersion: QIX_SCHEMA_VERSION } }),
  ProductVersion: () => ok({ qReturn: QIX_SCHEMA_VERSION }),
  GetAuthenticatedUser: (ctx) => ok({ qReturn: `UserDirectory=${ctx.session.user.userDirectory}; UserId=${ctx.session.user.userId}` }),
  IsDesktopMode: () => ok({ qReturn: false }),
  IsPersonalMode: () => ok({ qReturn: false }),
  QTProduct: () => ok({ qReturn: 'Qlik Sense' }),
  OSName: () => ok({ qReturn: 'windows' }),
  GetUniqueID: () => ok({ qUniqueID: randomUUID() }),
};

function findObject(ctx: CallContext, entry: HandleEntry): SessionObject {
  const id = entry.type === 'GenericObject' ? entry.id : '';
  const object = ctx.session.objects.get(id);
  if (!object) throw new QixError(QIX.LOCERR_GENERIC_NOT_FOUND, id, 'Object not found');
  return object;
}

function objectInfo(props: Record<string, unknown>): { qId: string; qType: string } {
  const info = (props.qInfo ?? {}) as { qId?: unknown; qType?: unknown };
  return { qId: typeof info.qId === 'string' ? info.qId : '', qType: typeof info.qType === 'string' ? info.qType : '' };
}

const DOC: Record<string, Handler> = {
  GetAppLayout: (ctx) => {
    const { app } = openDoc(ctx);
    return ok({
      qLayout: {
        qTitle: app.name,
        qFileName: docId(app),
        qLastReloadTime: '2024-11-12T09:00:00.000Z',
        qModified: false,
        qHasScript: true,
        qStateNames: [],
        qMeta: { privileges: ['read'] },
        qLocaleInfo: {
          qDecimalSep: '.',
          qThousandSep: ',',
          qListSep: ',',
          qMoneyDecimalSep: '.',
          qMoneyThousandSep: ',',
          qCurrentYear: 2026,
          qMoneyFmt: '$#,##0.00;-$#,##0.00',
          qTimeFmt: 'h:mm:ss TT',
          qDateFmt: 'M/D/YYYY',
          qTimestampFmt: 'M/D/YYYY h:mm:ss[.fff] TT',
          qCalendarStrings: { qDayNames: [], qMonthNames: [], qLongDayNames: [], qLongMonthNames: [] },
          qFirstWeekDay: 6,
          qBrokenWeeks: true,
          qReferenceDay: 0,
          qFirstMonthOfYear: 1,
          qCollation: 'en-US',
          qNumericalAbbreviation: '3:k;6:M;9:G;12:T;15:P;18:E;21:Z;24:Y;-3:m;-6:μ;-9:n;-12:p;-15:f;-18:a;-21:z;-24:y',
        },
        qHasData: true,
        qReadOnly: false,
        qIsOpenedWithoutData: false,
        qIsSessionApp: false,
        qThumbnail: { qUrl: '' },
        qIsBDILiveMode: false,
        qUnsupportedFeatures: [],
        qUsage: 'ANALYTICS',
      },
    });
  },
  GetAppProperties: (ctx) => {
    const { app } = openDoc(ctx);
    return ok({
      qProp: {
        qTitle: app.name,
        qLastReloadTime: '2024-11-12T09:00:00.000Z',
        qMigrationHash: '',
        qSavedInProductVersion: QIX_SCHEMA_VERSION,
        qThumbnail: { qUrl: '' },
        qHasSectionAccess: false,
        qUsage: 'ANALYTICS',
      },
    });
  },
  CreateSessionObject: (ctx, _entry, params) => {
    openDoc(ctx);
    const props = structuredClone(params.qProp as Record<string, unknown>);
    const info = objectInfo(props);
    if (!info.qType) throw invalidParams('qInfo.qType');
    // An object without an id gets one, as the engine makes one up.
    const id = info.qId || randomUUID().replaceAll('-', '').slice(0, 10);
    if (ctx.session.objects.has(id)) throw new QixError(3, id, 'Object already exists');
    props.qInfo = { ...(props.qInfo as object), qId: id, qType: info.qType };
    const entry = ctx.session.open('GenericObject', { id });
    ctx.session.objects.set(id, { id, props, handle: entry.handle });
    return ok({ qReturn: handleRef(entry, { qGenericType: info.qType, qGenericId: id }) });
  },
  DestroySessionObject: (ctx, _entry, params) => {
    const object = ctx.session.objects.get(params.qId as string);
    if (!object) return ok({ qSuccess: false });
    ctx.session.objects.delete(object.id);
    ctx.session.close(object.handle);
    return { result: { qSuccess: true }, closed: [object.handle] };
  },
  GetObject: (ctx, _entry, params) => {
    openDoc(ctx);
    const object = ctx.session.objects.get(params.qId as string);
    // The engine does not fail on a missing object: it answers a null handle (enigma.js then rejects).
    if (!object) return ok({ qReturn: { qType: null, qHandle: null } });
    const entry = ctx.session.entry(object.handle)!;
    const info = objectInfo(object.props);
    return ok({ qReturn: handleRef(entry, { qGenericType: info.qType, qGenericId: object.id }) });
  },
  GetField: (ctx, _entry, params) => {
    openDoc(ctx);
    return ok({ qReturn: handleRef(ctx.session.fieldHandle(params.qFieldName as string)) });
  },
  ClearAll: (ctx) => afterSelection(ctx, openDoc(ctx).model.clearAll(), {}),
};

const EXPORT_TYPES: Record<number, { extension: string; separator: string; contentType: string }> = {
  [QIX_ENUMS.ExportFileType.EXPORT_CSV_C]: { extension: 'csv', separator: ',', contentType: 'text/csv; charset=utf-8' },
  [QIX_ENUMS.ExportFileType.EXPORT_CSV_T]: { extension: 'csv', separator: '\t', contentType: 'text/tab-separated-values; charset=utf-8' },
};

function csvField(text: string, separator: string): string {
  return text.includes(separator) || /["\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

const OBJECT: Record<string, Handler> = {
  GetLayout: (ctx, entry) => {
    const object = findObject(ctx, entry);
    const { model } = openDoc(ctx);
    if (object.layout?.docVersion !== model.version) object.layout = { docVersion: model.version, value: layoutOf(object.props, model) };
    return ok({ qLayout: object.layout.value });
  },
  GetProperties: (ctx, entry) => ok({ qProp: structuredClone(findObject(ctx, entry).props) }),
  SetProperties: (ctx, entry, params) => {
    const object = findObject(ctx, entry);
    const props = structuredClone(params.qProp as Record<string, unknown>);
    // The id and type stay the object's own.
    props.qInfo = { ...(props.qInfo as object), qId: object.id, qType: objectInfo(object.props).qType };
    object.props = props;
    object.layout = undefined;
    return { result: {}, changed: [object.handle] };
  },
  GetInfo: (ctx, entry) => ok({ qInfo: objectInfo(findObject(ctx, entry).props) }),
  GetHyperCubeData: (ctx, entry, params) => {
    const object = findObject(ctx, entry);
    const def = definitionAt(object.props, params.qPath as string);
    if (!def || !(params.qPath as string).endsWith('qHyperCubeDef')) throw invalidParams('qPath');
    return ok({ qDataPages: hyperCubeData(def, openDoc(ctx).model, params.qPages as unknown[]) });
  },
  ExportData: (ctx, entry, params) => {
    const object = findObject(ctx, entry);
    const doc = openDoc(ctx);
    const fileType = enumValue(params.qFileType, QIX_ENUMS.ExportFileType);
    const exportState = enumValue(params.qExportState, QIX_ENUMS.ExportState);
    if (fileType === undefined) throw invalidParams('qFileType');
    if (exportState === undefined) throw invalidParams('qExportState');
    const type = EXPORT_TYPES[fileType];
    if (!type) throw new QixError(QIX.LOCERR_GENERIC_NOT_IMPLEMENTED, 'qFileType', 'The simulated engine exports CSV only (EXPORT_CSV_C, EXPORT_CSV_T)');
    const path = (params.qPath as string) || '/qHyperCubeDef';
    const def = definitionAt(object.props, path);
    if (!def) throw invalidParams('qPath');
    // EXPORT_POSSIBLE (0) writes what the selections leave; EXPORT_ALL (1) ignores them.
    const model = exportState === QIX_ENUMS.ExportState.EXPORT_ALL ? new DocModel(doc.model.table) : doc.model;
    const { headers, matrix } = hyperCubeTable(def, model);
    const lines = [headers, ...matrix.map((row) => row.map((cell) => cell.qText))].map((cells) =>
      cells.map((c) => csvField(c, type.separator)).join(type.separator),
    );
    const fileName = `${randomUUID()}.${type.extension}`;
    const file = ctx.exports.add({
      fileName,
      nodeId: ctx.session.nodeId,
      owner: { userDirectory: ctx.session.user.userDirectory, userId: ctx.session.user.userId },
      contentType: type.contentType,
      body: Buffer.from(`${lines.join('\r\n')}\r\n`, 'utf8'),
      serveOnce: params.qServeOnce === true,
    });
    // Relative to the proxy: the client puts its virtual proxy's address in front, as mashups do.
    const qUrl = `/tempcontent/${file.id}/${encodeURIComponent(fileName)}?serverNodeId=${encodeURIComponent(ctx.session.nodeId)}`;
    return ok({ qUrl, qWarnings: [] });
  },
};

function fieldModel(ctx: CallContext, entry: HandleEntry): { model: DocModel; name: string } {
  const name = entry.type === 'Field' ? entry.name : '';
  return { model: openDoc(ctx).model, name };
}

const FIELD: Record<string, Handler> = {
  SelectValues: (ctx, entry, params) => {
    const { model, name } = fieldModel(ctx, entry);
    if (!model.hasField(name)) return ok({ qReturn: false });
    const changed = model.selectValues(name, params.qFieldValues as FieldValueInput[], params.qToggleMode === true);
    return afterSelection(ctx, changed, { qReturn: true });
  },
  Select: (ctx, entry, params) => {
    const { model, name } = fieldModel(ctx, entry);
    if (!model.hasField(name)) return ok({ qReturn: false });
    return afterSelection(ctx, model.selectMatching(name, params.qMatch as string, false), { qReturn: true });
  },
  ToggleSelect: (ctx, entry, params) => {
    const { model, name } = fieldModel(ctx, entry);
    if (!model.hasField(name)) return ok({ qReturn: false });
    return afterSelection(ctx, model.selectMatching(name, params.qMatch as string, true), { qReturn: true });
  },
  Clear: (ctx, entry) => {
    const { model, name } = fieldModel(ctx, entry);
    return afterSelection(ctx, model.clear(name), { qReturn: true });
  },
  GetCardinal: (ctx, entry) => {
    const { model, name } = fieldModel(ctx, entry);
    return ok({ qReturn: model.values(name).map(cellText).length });
  },
};

export const HANDLERS: Record<QixClass, Record<string, Handler>> = { Global: GLOBAL, Doc: DOC, GenericObject: OBJECT, Field: FIELD };
