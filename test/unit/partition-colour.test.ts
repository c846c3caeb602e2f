// A partition's colour: the same for the same id everywhere (lists, window title), spread over the palette
// for the ids the console makes, and named in the window title beside its emoji.
import { randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { PARTITION_COLOURS, partitionColour, partitionColourEmoji, partitionWindowTitle } from '../../shared/partition-colour';

describe('partition colour', () => {
  it('is stable for an id and spread over the whole palette', () => {
    expect(partitionColour('shared-demo')).toBe(partitionColour('shared-demo'));
    const counts = new Map<string, number>();
    for (let i = 0; i < 700; i++) {
      const c = partitionColour(`p-${randomUUID()}`);
      counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect([...counts.keys()].sort()).toEqual([...PARTITION_COLOURS].sort());
    // Roughly even: no colour gets less than half its share.
    for (const n of counts.values()) expect(n).toBeGreaterThan(50);
  });

  it('titles a window with colour, users, site and partition', () => {
    const colour = partitionColour('p-1');
    expect(partitionWindowTitle({ partitionId: 'p-1', label: 'DEMO\\alice on /ticket', siteName: 'Demo site', users: ['DEMO\\alice'] })).toBe(
      `${partitionColourEmoji(colour)} DEMO\\alice - Demo site - partition DEMO\\alice on /ticket (${colour}) - Usher`,
    );
    expect(partitionWindowTitle({ partitionId: 'p-1', label: 'x', siteName: 'S', users: [] })).toContain('no login yet - S');
  });
});
