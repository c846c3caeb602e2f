// Sites (profiles) and sections. Plain buttons in lists: Tab walks them in order, Enter/Space acts,
// and aria-current tells assistive technology which site and section are the current ones.
import type { Profile } from '../../../shared/profile';
import { SECTIONS, type Section } from '../stores/app-store';

interface Props {
  /** Unfolded over the section in a narrow window (see Layout); ignored by the wide layout. */
  open: boolean;
  profiles: Profile[];
  activeProfileId: string;
  section: Section;
  onSelectProfile(id: string): void;
  onShow(section: Section): void;
}

export function Sidebar({ open, profiles, activeProfileId, section, onSelectProfile, onShow }: Props) {
  return (
    <nav id="sidebar" className={open ? 'sidebar open' : 'sidebar'} aria-label="Console">
      <h2 id="sites-heading">Sites</h2>
      {profiles.length === 0 ? <p className="muted">No sites yet. Add one with Trust.</p> : null}
      <ul aria-labelledby="sites-heading">
        {profiles.map((profile) => (
          <li key={profile.id}>
            <button
              type="button"
              className="nav-item"
              aria-current={profile.id === activeProfileId ? 'true' : undefined}
              onClick={() => onSelectProfile(profile.id)}
            >
              {profile.name}
              {profile.builtIn ? <span className="badge">demo</span> : null}
            </button>
          </li>
        ))}
      </ul>
      <h2 id="sections-heading">Sections</h2>
      <ul aria-labelledby="sections-heading">
        {SECTIONS.map((s) => (
          <li key={s.id}>
            <button type="button" className="nav-item" aria-current={s.id === section ? 'page' : undefined} onClick={() => onShow(s.id)}>
              {s.title}
            </button>
          </li>
        ))}
      </ul>
    </nav>
  );
}
