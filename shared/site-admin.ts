// What removing a site removes, in one shape for the console and the CLI: the plan shown before, the
// record returned after. Paths and names only; no secret is part of it.

export interface SiteRemoval {
  profileId: string;
  name: string;
  /** The site's profile file (`<data>/profiles/<id>.json`). */
  profileFile: string;
  /** The site's certificate bundle in the vault, when it has one. */
  certificates?: {
    bundleId: string;
    /** The encrypted bundle file; undefined when the vault keeps it in memory (no keychain). */
    file?: string;
    clientSubject: string;
    clientFingerprint256: string;
  };
  /**
   * The keychain entry that stays: it holds the data key every site's bundle is sealed with, so removing
   * one site never touches it. Undefined when the vault runs without a keychain.
   */
  keychainEntryKept?: string;
}

/** The removal in sentences, past or future tense: the console's confirmation and the CLI's report. */
export function siteRemovalLines(removal: SiteRemoval, tense: 'will' | 'did'): string[] {
  const verb = tense === 'will' ? 'is removed' : 'was removed';
  const verbs = tense === 'will' ? 'are removed' : 'were removed';
  const lines = [`The site file ${removal.profileFile} ${verb}.`];
  const c = removal.certificates;
  if (c) {
    const where = c.file ? `the encrypted file ${c.file}` : 'the memory of this run (there is no keychain)';
    lines.push(
      `Its certificates (${c.clientSubject}, SHA-256 ${c.clientFingerprint256.slice(0, 23)}...) ${verbs} from the vault: bundle ${c.bundleId} in ${where}.`,
    );
  } else {
    lines.push('It has no certificates in the vault.');
  }
  if (removal.keychainEntryKept) {
    lines.push(`The ${removal.keychainEntryKept} entry stays: it holds the key that seals every site's certificates, not this site's alone.`);
  }
  return lines;
}
