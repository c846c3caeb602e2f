// "Choose…" beside a path field: the host's own picker. Under Electron the main process opens its native
// dialog (files.choose); in the chromium host a file input opens the browser's, and the host tells the
// path of the chosen file (usherFiles). Without either, the field is typed. Only a path comes back: the
// main process reads and checks the files when the trust check runs.
import { useRef, useState } from 'react';
import { call, toUiError } from '../api';
import { useAppStore } from '../stores/app-store';

type What = 'folder' | 'pem' | 'pfx';

const ACCEPT: Record<What, string> = { folder: '', pem: '.pem,.crt,.key', pfx: '.pfx,.p12' };

/** The folder a directory input's first file sits in: its path minus the part below the chosen folder. */
function folderOf(path: string, relative: string): string {
  const below = relative.split('/').length - 1;
  const parts = path.split(/[\\/]/);
  return parts.slice(0, Math.max(1, parts.length - below)).join(path.includes('\\') ? '\\' : '/');
}

export function ChoosePath({ what, label, onPath }: { what: What; label: string; onPath(path: string): void }) {
  const host = useAppStore((s) => s.app?.host);
  const input = useRef<HTMLInputElement>(null);
  const [problem, setProblem] = useState('');
  const bridge = window.usherFiles;
  if (host !== 'electron' && !bridge) return null;

  async function fromDialog() {
    setProblem('');
    try {
      const { path } = await call('files.choose', { what });
      if (path) onPath(path);
    } catch (error) {
      setProblem(toUiError(error).message);
    }
  }

  async function fromInput(files: FileList | null) {
    const file = files?.[0];
    if (!file || !bridge) return;
    const path = await Promise.resolve(bridge.pathForFile(file)).catch(() => '');
    if (!path) {
      setProblem('The browser did not say where that file is: type its path instead.');
      return;
    }
    setProblem('');
    onPath(what === 'folder' ? folderOf(path, file.webkitRelativePath || file.name) : path);
  }

  return (
    <div className="choose-path">
      {host === 'electron' ? (
        <button type="button" onClick={() => void fromDialog()}>
          {label}
        </button>
      ) : (
        <>
          <button type="button" onClick={() => input.current?.click()}>
            {label}
          </button>
          <input
            ref={input}
            type="file"
            hidden
            tabIndex={-1}
            accept={ACCEPT[what] || undefined}
            {...(what === 'folder' ? { webkitdirectory: '' } : {})}
            onChange={(e) => {
              void fromInput(e.target.files);
              e.target.value = '';
            }}
          />
        </>
      )}
      {problem ? <p className="warn-text">{problem}</p> : null}
    </div>
  );
}
