// A partition's colour beside its name, as browser containers mark their tabs: the same colour its
// window's title shows (an emoji circle there). Decoration for assistive technology (the partition's
// name beside it is what tells partitions apart); named on hover and in the partition's detail.
import { partitionColour } from '../../../shared/partition-colour';

export function PartitionSwatch({ partitionId }: { partitionId: string }) {
  const colour = partitionColour(partitionId);
  return <span className={`partition-swatch partition-colour-${colour}`} aria-hidden="true" title={`Colour: ${colour}`} />;
}
