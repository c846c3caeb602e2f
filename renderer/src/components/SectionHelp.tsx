// Under each section's heading: what it is for in Qlik's words (folded), and on the demo site until put
// away, the four-step first run (trust -> ticket -> partition -> sessions) with the current step marked.
import { useState } from 'react';
import { FIRST_RUN_STEPS, SECTION_HELP } from '../help';
import { useAppStore, type Section } from '../stores/app-store';

const GUIDE_KEY = 'usher.firstRunGuide';

function guideWanted(): boolean {
  try {
    return window.localStorage.getItem(GUIDE_KEY) !== 'done';
  } catch {
    return true;
  }
}

function FirstRunGuide({ section }: { section: Section }) {
  const [shown, setShown] = useState(guideWanted);
  if (!shown) return null;
  const close = () => {
    try {
      window.localStorage.setItem(GUIDE_KEY, 'done');
    } catch {
      // Storage refused: the guide goes away for this run only.
    }
    setShown(false);
  };
  return (
    <nav className="first-run" aria-label="First steps on the demo site">
      <p>New here? The demo site is a complete Qlik Sense site running inside Usher. Try it in four steps:</p>
      <ol>
        {FIRST_RUN_STEPS.map((step) => (
          <li key={step.section}>
            <button
              type="button"
              className="link"
              aria-current={step.section === section ? 'step' : undefined}
              onClick={() => useAppStore.getState().show(step.section)}
            >
              {step.text}
            </button>
          </li>
        ))}
      </ol>
      <button type="button" onClick={close}>
        Hide these steps
      </button>
    </nav>
  );
}

export function SectionHelp({ section, onDemo }: { section: Section; onDemo: boolean }) {
  return (
    <>
      {onDemo ? <FirstRunGuide section={section} /> : null}
      <details className="section-help">
        <summary>About this section</summary>
        <p>{SECTION_HELP[section]}</p>
      </details>
    </>
  );
}
