// The engine methods the simulated engine models, with their parameters exactly as Qlik's published
// engine schema (enigma.js schemas/12.2027.0.json) declares them, and the names of every other method of
// those classes. test/unit/engine-schema.test.ts holds this extract to the schema file, so nothing here
// is a guess; regenerate it from the schema when moving to a newer one.

export type QixClass = 'Global' | 'Doc' | 'GenericObject' | 'Field';

export interface QixParam {
  name: string;
  /** The schema's DefaultValue: its JSON type is the type the engine accepts. */
  defaultValue: unknown;
  optional: boolean;
}

export interface QixMethod {
  params: QixParam[];
  /** Out parameter names; none means the result is `qReturn`. */
  out: string[];
}

export const QIX_SCHEMA_VERSION = '12.2027.0';

export const MODELLED_METHODS: Record<QixClass, Record<string, QixMethod>> = {
  Global: {
    GetDocList: { params: [], out: ['qDocList'] },
    OpenDoc: { params: [{ name: 'qDocName', defaultValue: '', optional: false }, { name: 'qUserName', defaultValue: '', optional: true }, { name: 'qPassword', defaultValue: '', optional: true }, { name: 'qSerial', defaultValue: '', optional: true }, { name: 'qNoData', defaultValue: false, optional: true }], out: [] },
    GetActiveDoc: { params: [], out: [] },
    EngineVersion: { params: [], out: ['qVersion'] },
    ProductVersion: { params: [], out: [] },
    GetAuthenticatedUser: { params: [], out: [] },
    IsDesktopMode: { params: [], out: [] },
    QTProduct: { params: [], out: [] },
    OSName: { params: [], out: [] },
    IsPersonalMode: { params: [], out: [] },
    GetUniqueID: { params: [], out: ['qUniqueID'] },
  },
  Doc: {
    GetAppLayout: { params: [], out: ['qLayout'] },
    GetAppProperties: { params: [], out: ['qProp'] },
    CreateSessionObject: { params: [{ name: 'qProp', defaultValue: {'qInfo': {'qId': '', 'qType': ''}, 'qExtendsId': '', 'qMetaDef': {}, 'qStateName': ''}, optional: false }], out: [] },
    DestroySessionObject: { params: [{ name: 'qId', defaultValue: '', optional: false }], out: ['qSuccess'] },
    GetObject: { params: [{ name: 'qId', defaultValue: '', optional: false }], out: [] },
    GetField: { params: [{ name: 'qFieldName', defaultValue: '', optional: false }, { name: 'qStateName', defaultValue: '', optional: true }], out: [] },
    ClearAll: { params: [{ name: 'qLockedAlso', defaultValue: false, optional: true }, { name: 'qStateName', defaultValue: '', optional: true }], out: [] },
  },
  GenericObject: {
    GetLayout: { params: [], out: ['qLayout'] },
    GetProperties: { params: [], out: ['qProp'] },
    SetProperties: { params: [{ name: 'qProp', defaultValue: {'qInfo': {'qId': '', 'qType': ''}, 'qExtendsId': '', 'qMetaDef': {}, 'qStateName': ''}, optional: false }], out: [] },
    GetHyperCubeData: { params: [{ name: 'qPath', defaultValue: '', optional: false }, { name: 'qPages', defaultValue: [{'qLeft': 0, 'qTop': 0, 'qWidth': 0, 'qHeight': 0}], optional: false }], out: ['qDataPages'] },
    ExportData: { params: [{ name: 'qFileType', defaultValue: 0, optional: false }, { name: 'qPath', defaultValue: '', optional: true }, { name: 'qFileName', defaultValue: '', optional: true }, { name: 'qExportState', defaultValue: 0, optional: true }, { name: 'qServeOnce', defaultValue: false, optional: true }], out: ['qUrl', 'qWarnings'] },
    GetInfo: { params: [], out: ['qInfo'] },
  },
  Field: {
    SelectValues: { params: [{ name: 'qFieldValues', defaultValue: [{'qText': '', 'qIsNumeric': false, 'qNumber': 0}], optional: false }, { name: 'qToggleMode', defaultValue: false, optional: true }, { name: 'qSoftLock', defaultValue: false, optional: true }], out: [] },
    Clear: { params: [], out: [] },
    GetCardinal: { params: [], out: [] },
    Select: { params: [{ name: 'qMatch', defaultValue: '', optional: false }, { name: 'qSoftLock', defaultValue: false, optional: true }, { name: 'qExcludedValuesMode', defaultValue: 0, optional: true }], out: [] },
    ToggleSelect: { params: [{ name: 'qMatch', defaultValue: '', optional: false }, { name: 'qSoftLock', defaultValue: false, optional: true }, { name: 'qExcludedValuesMode', defaultValue: 0, optional: true }], out: [] },
  },
};

/** Every method name the schema lists per class: a known method the simulator does not model is not "not found". */
export const SCHEMA_METHOD_NAMES: Record<QixClass, readonly string[]> = {
  Global: [
    'AbortAll', 'AbortRequest', 'AllowCreateApp', 'CancelReload', 'CancelRequest', 'ConfigureReload', 'CopyApp',
    'CreateApp', 'CreateDocEx', 'CreateSessionApp', 'CreateSessionAppFromApp', 'DeleteApp', 'EngineVersion',
    'ExportApp', 'GetActiveDoc', 'GetAppEntry', 'GetAuthenticatedUser', 'GetBNF', 'GetBaseBNF', 'GetBaseBNFHash',
    'GetBaseBNFString', 'GetConfiguration', 'GetCustomConnectors', 'GetDatabasesFromConnectionString',
    'GetDefaultAppFolder', 'GetDocList', 'GetFolderItemsForPath', 'GetFunctions', 'GetInteract',
    'GetLogicalDriveStrings', 'GetMyDocumentsFolder', 'GetOdbcDsns', 'GetOleDbProviders', 'GetProgress',
    'GetStreamList', 'GetSupportedCodePages', 'GetUniqueID', 'ImportApp', 'ImportAppEx', 'InteractDone',
    'IsDesktopMode', 'IsPersonalMode', 'IsValidConnectionString', 'OSName', 'OSVersion', 'OpenDoc', 'ProductVersion',
    'PublishApp', 'QTProduct', 'QvVersion', 'ReloadExtensionList', 'ReplaceAppFromID', 'ReplaceAppFromPath', 'SaveAs',
    'ShutdownProcess',
  ],
  Doc: [
    'AbortModal', 'AddAlternateState', 'AddFieldFromExpression', 'AddSessionAlternateState', 'ApplyAndVerifyBookmark',
    'ApplyBookmark', 'ApplyGroupStates', 'ApplyTemporaryBookmark', 'Back', 'BackCount', 'BulkRequest',
    'ChangeSessionAppOwner', 'ChangeSessionAppSpace', 'CheckExpression', 'CheckNumberOrExpression',
    'CheckScriptSyntax', 'ClearAll', 'ClearAllSoftPatches', 'ClearUndoBuffer', 'CloneBookmark', 'CloneDimension',
    'CloneMeasure', 'CloneObject', 'CommitDraft', 'CommitScript', 'CreateBookmark', 'CreateBookmarkEx',
    'CreateConnection', 'CreateDimension', 'CreateDraft', 'CreateMeasure', 'CreateObject', 'CreateSessionObject',
    'CreateSessionVariable', 'CreateTemporaryBookmark', 'CreateVariable', 'CreateVariableEx', 'DeleteConnection',
    'DestroyBookmark', 'DestroyDimension', 'DestroyDraft', 'DestroyMeasure', 'DestroyObject', 'DestroySessionObject',
    'DestroySessionVariable', 'DestroySessionVariableById', 'DestroySessionVariableByName', 'DestroyVariableById',
    'DestroyVariableByName', 'DoReload', 'DoReloadEx', 'DoSave', 'Evaluate', 'EvaluateEx', 'ExpandExpression',
    'ExportReducedData', 'FindMatchingFields', 'Forward', 'ForwardCount', 'GetActiveSheetId', 'GetAllInfos',
    'GetAppLayout', 'GetAppProperties', 'GetAssociationScores', 'GetBookmark', 'GetBookmarks', 'GetConnection',
    'GetConnections', 'GetContentLibraries', 'GetDatabaseInfo', 'GetDatabaseOwners', 'GetDatabaseTableFields',
    'GetDatabaseTablePreview', 'GetDatabaseTables', 'GetDatabases', 'GetDimension', 'GetEmptyScript',
    'GetExpressionBNF', 'GetExpressionBNFHash', 'GetFavoriteVariables', 'GetField', 'GetFieldAndColumnSamples',
    'GetFieldDescription', 'GetFieldOnTheFlyByName', 'GetFieldsFromExpression', 'GetFieldsResourceIds',
    'GetFileTableFields', 'GetFileTablePreview', 'GetFileTables', 'GetFileTablesEx', 'GetFolderItemsForConnection',
    'GetGroupStates', 'GetIncludeFileContent', 'GetLayoutProperties', 'GetLibraryContent', 'GetLineage',
    'GetLocaleInfo', 'GetLooselyCoupledVector', 'GetMatchingFields', 'GetMeasure', 'GetMeasureWithLabel',
    'GetMediaList', 'GetObject', 'GetObjects', 'GetScript', 'GetScriptBreakpoints', 'GetScriptEx', 'GetScriptMeta',
    'GetSetAnalysis', 'GetSheetObject', 'GetTableData', 'GetTableProfileData', 'GetTablesAndKeys', 'GetTextMacros',
    'GetVariable', 'GetVariableById', 'GetVariableByName', 'GetVariables', 'GetViewDlgSaveInfo', 'GuessFileType',
    'LockAll', 'MigrateDerivedFields', 'MigrateVariables', 'ModifyConnection', 'Publish', 'Redo',
    'RemoveAlternateState', 'RemoveSessionAlternateState', 'RemoveVariable', 'ReplaceBookmark',
    'RestoreTempSelectionState', 'Resume', 'SaveAs', 'SaveObjects', 'Scramble', 'SearchAssociations', 'SearchObjects',
    'SearchResults', 'SearchSuggest', 'SearchValues', 'SelectAssociations', 'SendGenericCommandToCustomConnector',
    'SetAppObjectSortingRank', 'SetAppProperties', 'SetFavoriteVariables', 'SetFetchLimit', 'SetLooselyCoupledVector',
    'SetProhibitBinaryLoad', 'SetScript', 'SetScriptBreakpoints', 'SetViewDlgSaveInfo', 'StoreTempSelectionState',
    'TransformApp', 'UnPublish', 'Undo', 'UnlockAll', 'UploadTable',
  ],
  GenericObject: [
    'AbortListObjectSearch', 'AcceptListObjectSearch', 'ApplyPatches', 'Approve', 'BeginSelections',
    'ClearSelections', 'ClearSoftPatches', 'CollapseLeft', 'CollapseTop', 'CopyFrom', 'CreateChild',
    'DestroyAllChildren', 'DestroyChild', 'DrillUp', 'EmbedSnapshotObject', 'EndSelections', 'ExpandLeft',
    'ExpandTop', 'ExportData', 'GetChild', 'GetChildInfos', 'GetEffectiveProperties', 'GetFullPropertyTree',
    'GetHyperCubeBinnedData', 'GetHyperCubeContinuousData', 'GetHyperCubeData', 'GetHyperCubePivotData',
    'GetHyperCubeReducedData', 'GetHyperCubeStackData', 'GetHyperCubeTreeData', 'GetInfo', 'GetLayout',
    'GetLinkedObjects', 'GetListObjectData', 'GetParent', 'GetProperties', 'GetSnapshotObject', 'Lock',
    'MultiRangeSelectHyperCubeValues', 'MultiRangeSelectTreeDataValues', 'Publish', 'RangeSelectHyperCubeValues',
    'ResetMadeSelections', 'SearchListObjectFor', 'SelectHyperCubeCells', 'SelectHyperCubeContinuousRange',
    'SelectHyperCubeValues', 'SelectListObjectAll', 'SelectListObjectAlternative', 'SelectListObjectContinuousRange',
    'SelectListObjectExcluded', 'SelectListObjectPossible', 'SelectListObjectValues', 'SelectPivotCells',
    'SetChildArrayOrder', 'SetFullPropertyTree', 'SetProperties', 'StoreData', 'UnApprove', 'UnPublish', 'Unlock',
  ],
  Field: [
    'Clear', 'ClearAllButThis', 'GetAndMode', 'GetCardinal', 'GetNxProperties', 'Lock', 'LowLevelSelect', 'Select',
    'SelectAll', 'SelectAlternative', 'SelectExcluded', 'SelectPossible', 'SelectValues', 'SetAndMode',
    'SetNxProperties', 'ToggleSelect', 'Unlock',
  ],
};

/** The schema's enums the modelled methods take: the engine accepts a value's name or its number. */
export const QIX_ENUMS = {
  ExportFileType: { EXPORT_CSV_C: 0, EXPORT_CSV_T: 1, EXPORT_OOXML: 2, EXPORT_PARQUET: 3 },
  ExportState: { EXPORT_POSSIBLE: 0, EXPORT_ALL: 1 },
} as const satisfies Record<string, Record<string, number>>;
