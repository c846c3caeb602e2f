// Site profiles (the store) and the audit log of tickets and sessions the console created.
export type { Profile, ProfileCertificates, ProfileExport, ProfileNode, ProfileValidation, ProfileVirtualProxy } from '../../../shared/profile';
export {
  PROFILE_EXPORT_FORMAT,
  PROFILE_EXPORT_VERSION,
  PROFILE_SCHEMA_VERSION,
  profileIdFromName,
  profileNameProblem,
  validateProfile,
} from '../../../shared/profile';
export { ProfileError } from './errors';
export type { ProfileErrorCode } from './errors';
export { ProfileStore } from './store';
export type { ProfileProblem, ProfileStoreOptions } from './store';
export { AUDIT_ACTIONS, AuditLog } from './audit-log';
export type { AuditAction, AuditEntry, AuditInput, AuditReadOptions } from './audit-log';
