// Failures of a partition (a cookie jar and its windows) that are about the partition itself, not the
// network: both hosts throw these, so the backend maps one set of codes whichever host runs.
import { UsherError } from '../../shared/errors';

export type PartitionErrorCode =
  | 'ORIGIN_NOT_PINNED'
  | 'CERTIFICATE_CHANGED'
  | 'NOT_OPEN'
  | 'CROSS_ORIGIN_FETCH'
  | 'CLOSED'
  | 'INVALID_PARTITION_ID'
  | 'PARTITION_MISMATCH'
  | 'DOWNLOADS_OFF'
  | 'DOWNLOAD_TIMEOUT'
  | 'BAD_HEADERS';

export class PartitionError extends UsherError<PartitionErrorCode> {
  override name = 'PartitionError';
  declare readonly hint: string;
  constructor(code: PartitionErrorCode, message: string, hint: string, options?: { cause?: unknown }) {
    super(code, message, hint, options);
  }
}
