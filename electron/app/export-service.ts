// The console's exports (files.save): the checks' last run as Markdown or JUnit, the audit log as CSV,
// the request log as HAR. Each is rendered here by the core from what the main process holds, then
// written where the host says: Electron's save dialog, or (the chromium host has no native dialog) a
// new file in the downloads folder, its path shown to the person. The renderer only names what to save.
import { homedir } from 'node:os';
import { join } from 'node:path';
import type { RequestOf, SavedFileView } from '../../shared/ipc/contract';
import type { RequestRecord } from '../../shared/request-log';
import { USHER_VERSION } from './app-version';
import { auditCsv } from '../core/exports/audit-csv';
import { checksJUnit, checksMarkdown } from '../core/exports/checks-report';
import { nodeForUrl, toHar, type CallPlace } from '../core/exports/har';
import { saveChosenFile, saveNewFile } from '../core/exports/save-file';
import { exists } from '../core/fs/exists';
import type { BackendContext } from './backend-context';
import { BackendError } from './backend-error';
import type { ChecksService } from './checks-service';

/** What is about to be saved, for the host's dialog: a file name and the type filter to offer. */
export interface SaveSuggestion {
  fileName: string;
  /** The dialog's title, e.g. "Save the audit log as CSV". */
  title: string;
  filter: { name: string; extensions: string[] };
}

/**
 * Where a host saves: `{ chosen }` a path the person picked (undefined: they cancelled), or `{ folder }`
 * a folder the file goes into under a free name, for a host with no dialog.
 */
export type FileSaver = (suggestion: SaveSuggestion) => Promise<{ chosen: string | undefined } | { folder: string }>;

/** The chromium host's saver: the downloads folder when the account has one, else `exports` in the data folder. */
export function downloadsFolderSaver(dataDir: string, folder?: string): FileSaver {
  return async () => {
    if (folder) return { folder };
    const downloads = join(homedir(), 'Downloads');
    return { folder: (await exists(downloads)) ? downloads : join(dataDir, 'exports') };
  };
}

interface Rendered extends SaveSuggestion {
  text: string;
  items: number;
}

/** `2026-12-04T10-00-00`: a time for file names (no colons, which Windows refuses). */
function stamp(at: Date): string {
  return at.toISOString().slice(0, 19).replace(/:/g, '-');
}

export class ExportService {
  constructor(
    private readonly ctx: BackendContext,
    private readonly checks: ChecksService,
    private readonly saver: FileSaver,
  ) {}

  async save({ what }: RequestOf<'files.save'>): Promise<SavedFileView> {
    const rendered = await this.render(what);
    const where = await this.saver(rendered);
    const bytes = Buffer.byteLength(rendered.text);
    const view = { fileName: rendered.fileName, bytes, items: rendered.items };
    if ('chosen' in where && where.chosen === undefined) return view;
    try {
      const path = 'folder' in where ? await saveNewFile(where.folder, rendered.fileName, rendered.text) : await saveChosenFile(where.chosen!, rendered.text);
      return { ...view, path };
    } catch (err) {
      const target = 'folder' in where ? where.folder : where.chosen!;
      throw new BackendError(
        'STORAGE_FAILED',
        `${rendered.fileName} could not be written to ${target}: ${(err as Error).message}`,
        'Choose a folder you can write to, or free some space, and save again.',
      );
    }
  }

  private async render(what: RequestOf<'files.save'>['what']): Promise<Rendered> {
    const now = new Date(this.ctx.now());
    switch (what.kind) {
      case 'checks': {
        const run = this.checks.keptRun(what.runId);
        const base = `usher-checks-${run.profileId}-${stamp(run.finishedAt)}`;
        const items = run.report.findings.length;
        return what.format === 'markdown'
          ? {
              fileName: `${base}.md`,
              title: 'Save the check results as Markdown',
              filter: { name: 'Markdown', extensions: ['md'] },
              text: `${checksMarkdown(run.report)}\n`,
              items,
            }
          : {
              fileName: `${base}.junit.xml`,
              title: 'Save the check results as JUnit XML',
              filter: { name: 'JUnit XML', extensions: ['xml'] },
              text: `${checksJUnit(run.report)}\n`,
              items,
            };
      }
      case 'audit': {
        // The whole log (or one site's), oldest first as it was written: a spreadsheet sorts it as it likes.
        const { entries } = await this.ctx.audit.read(what.profile !== undefined ? { profile: what.profile } : {});
        return {
          fileName: `usher-audit-${stamp(now)}.csv`,
          title: 'Save the audit log as CSV',
          filter: { name: 'CSV', extensions: ['csv'] },
          text: auditCsv(entries),
          items: entries.length,
        };
      }
      case 'requestLog': {
        const records = this.ctx.requestLog.list(what.filter);
        const har = toHar(records, { creator: { name: 'Usher', version: USHER_VERSION }, placeOf: await this.placeFinder() });
        return {
          fileName: `usher-requests-${stamp(now)}.har`,
          title: 'Save the request log as HAR',
          filter: { name: 'HTTP Archive', extensions: ['har'] },
          text: `${JSON.stringify(har, null, 2)}\n`,
          items: records.length,
        };
      }
    }
  }

  /** Each record's site by its profile's name (a trust check's label as it is) and node by the profile's nodes. */
  private async placeFinder(): Promise<(record: RequestRecord) => CallPlace> {
    const { profiles } = await this.ctx.profiles.list();
    const byId = new Map(profiles.map((p) => [p.id, p]));
    return (record) => {
      const profile = record.site !== undefined ? byId.get(record.site) : undefined;
      const node = profile ? nodeForUrl(profile.nodes, record.url) : undefined;
      return { ...(record.site !== undefined ? { site: profile?.name ?? record.site } : {}), ...(node !== undefined ? { node } : {}) };
    };
  }
}
