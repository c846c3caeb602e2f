// An engine session: one user's connection state on one engine (the open app, its session objects and
// fields, and the handles that name them). Sockets attach to it; a second socket to the same session is
// told SESSION_ATTACHED and sees the same selections, as two tabs on one app do.
import type { UserRef } from '../state';
import type { AppDescription } from '../site';
import { DocModel } from './doc-model';
import type { QixClass } from './qix-schema';

export type HandleEntry =
  | { type: 'Global'; handle: -1 }
  | { type: 'Doc'; handle: number }
  | { type: 'GenericObject'; handle: number; id: string }
  | { type: 'Field'; handle: number; name: string };

export interface SessionObject {
  id: string;
  props: Record<string, unknown>;
  handle: number;
  /**
   * The layout last computed and the doc version it was computed at: the engine recalculates an object
   * only when a selection or its properties changed it. Never mutated once made (sockets keep it as
   * what they last sent).
   */
  layout?: { docVersion: number; value: Record<string, unknown> };
}

export interface OpenDoc {
  app: AppDescription;
  model: DocModel;
  handle: number;
}

export class EngineSession {
  doc?: OpenDoc;
  readonly objects = new Map<string, SessionObject>();
  private readonly handles = new Map<number, HandleEntry>([[-1, { type: 'Global', handle: -1 }]]);
  private nextHandle = 1;

  constructor(
    /** `${engine node}|${proxy session or direct user}|${app}`: what makes a second socket attach. */
    readonly key: string,
    readonly nodeId: string,
    readonly user: UserRef,
  ) {}

  entry(handle: number): HandleEntry | undefined {
    return this.handles.get(handle);
  }

  /** Every handle but Global's: what a selection may invalidate. */
  liveHandles(): number[] {
    return [...this.handles.keys()].filter((h) => h !== -1);
  }

  open(type: Exclude<QixClass, 'Global'>, extra: { id?: string; name?: string } = {}): HandleEntry {
    const handle = this.nextHandle++;
    let entry: HandleEntry;
    if (type === 'Doc') entry = { type, handle };
    else if (type === 'GenericObject') entry = { type, handle, id: extra.id ?? '' };
    else entry = { type, handle, name: extra.name ?? '' };
    this.handles.set(handle, entry);
    return entry;
  }

  close(handle: number): void {
    this.handles.delete(handle);
  }

  /** The field handle for `name`, made on first use (GetField twice answers the same handle). */
  fieldHandle(name: string): HandleEntry {
    for (const entry of this.handles.values()) if (entry.type === 'Field' && entry.name === name) return entry;
    return this.open('Field', { name });
  }
}
