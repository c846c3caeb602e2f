// No permission is ever granted on a session of Usher's, the console's or a partition's: no camera,
// notifications, clipboard-read, geolocation, HID/USB/serial...
import type { Session } from 'electron';

/** Deny every permission request and check, and every device, on this session. */
export function denyAllPermissions(ses: Session): void {
  ses.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.setDevicePermissionHandler(() => false);
}
