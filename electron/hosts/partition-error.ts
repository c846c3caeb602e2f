// Failures of a partition (a cookie jar and its windows) that are about the partition itself, not the
// network: both hosts throw these, so the backend maps one set of codes whichever host runs.

export type PartitionErrorCode =
  | 'ORIGIN_NOT_PINNED'
  | 'CERTIFICATE_CHANGED'
  | 'NOT_OPEN'
  | 'CROSS_ORIGIN_FETCH'
  | 'CLOSED'
  | 'INVALID_PARTITION_ID'
  | 'PARTITION_MISMATCH'
  | 'DOWNLOADS_OFF'
  | 'DOWNLOAD_TIMEOUT';

export class PartitionError extends Error {
  override name = 'PartitionError';
  constructor(
    readonly code: PartitionErrorCode,
    message: string,
    /** What to do about it. */
    readonly hint: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}
