// A colour per partition, as browser containers give one per container: stable (derived from the
// partition id alone, so the same partition has the same colour in every list and in its window's
// title across restarts) and named in words, never told by colour alone. The console draws it from CSS
// classes (`partition-colour-<name>`, light and dark values in styles.css); the window title carries
// the matching emoji circle, the one colour a window title can show.

export const PARTITION_COLOURS = ['blue', 'green', 'orange', 'purple', 'red', 'yellow', 'brown'] as const;
export type PartitionColour = (typeof PARTITION_COLOURS)[number];

const EMOJI: Record<PartitionColour, string> = {
  blue: '\u{1F535}',
  green: '\u{1F7E2}',
  orange: '\u{1F7E0}',
  purple: '\u{1F7E3}',
  red: '\u{1F534}',
  yellow: '\u{1F7E1}',
  brown: '\u{1F7E4}',
};

/** FNV-1a over the id's UTF-16 code units: small, stable on every platform, well spread for ids like `p-<uuid>`. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h;
}

export function partitionColour(partitionId: string): PartitionColour {
  return PARTITION_COLOURS[hash(partitionId) % PARTITION_COLOURS.length]!;
}

export function partitionColourEmoji(colour: PartitionColour): string {
  return EMOJI[colour];
}

/**
 * The title of a partition's window: colour, who it runs as, the site and the partition, so the task bar
 * and the window switcher tell two windows of two users apart. `users`: the users logged in there now
 * (the last per virtual proxy), none before the first login.
 */
export function partitionWindowTitle(input: { partitionId: string; label: string; siteName: string; users: string[] }): string {
  const colour = partitionColour(input.partitionId);
  const who = input.users.length > 0 ? input.users.join(', ') : 'no login yet';
  return `${partitionColourEmoji(colour)} ${who} - ${input.siteName} - partition ${input.label} (${colour}) - Usher`;
}
