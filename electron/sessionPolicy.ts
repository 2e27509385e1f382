/**
 * The window session's permission policy: the workstation needs no browser permission (camera,
 * microphone, notifications, geolocation, clipboard reads, HID/USB/serial devices, ...), so every
 * request and every check is refused, whoever asks.
 */
import type { Session } from 'electron';

/** The parts of `Session` the policy sets. */
export type PermissionSession = Pick<
  Session,
  'setPermissionRequestHandler' | 'setPermissionCheckHandler' | 'setDevicePermissionHandler'
>;

/** Refuses every permission request and check, and every device. */
export function denyAllPermissions(session: PermissionSession): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.setDevicePermissionHandler(() => false);
}
