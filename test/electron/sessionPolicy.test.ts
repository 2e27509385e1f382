import type { Session } from 'electron';
import { describe, expect, it } from 'vitest';
import { type PermissionSession, denyAllPermissions } from '../../electron/sessionPolicy.js';

type RequestHandler = Parameters<Session['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<Session['setPermissionCheckHandler']>[0];
type DeviceHandler = Parameters<Session['setDevicePermissionHandler']>[0];

/** The handlers a session was given (Electron itself cannot run here). */
class RecordingSession implements PermissionSession {
  request: RequestHandler = null;
  check: CheckHandler = null;
  device: DeviceHandler = null;
  setPermissionRequestHandler(handler: RequestHandler): void {
    this.request = handler;
  }
  setPermissionCheckHandler(handler: CheckHandler): void {
    this.check = handler;
  }
  setDevicePermissionHandler(handler: DeviceHandler): void {
    this.device = handler;
  }
}

/** Permission names from Electron's session API documentation. */
const PERMISSIONS = [
  'clipboard-read',
  'clipboard-sanitized-write',
  'display-capture',
  'fullscreen',
  'geolocation',
  'idle-detection',
  'media',
  'mediaKeySystem',
  'midi',
  'midiSysex',
  'notifications',
  'pointerLock',
  'keyboardLock',
  'openExternal',
  'speaker-selection',
  'storage-access',
  'top-level-storage-access',
  'window-management',
  'unknown',
  'fileSystem',
  'hid',
  'serial',
  'usb',
] as const;

describe('the window session', () => {
  it('refuses every permission request and check, from the app or anywhere else, and every device', async () => {
    const session = new RecordingSession();
    denyAllPermissions(session);
    expect(session.request && session.check && session.device).toBeTruthy();
    for (const permission of PERMISSIONS) {
      for (const origin of ['mammo://app', 'https://evil.example']) {
        const granted = await new Promise<boolean>((resolve) =>
          session.request!(
            {} as Electron.WebContents,
            permission as Parameters<NonNullable<RequestHandler>>[1],
            resolve,
            { requestingUrl: `${origin}/`, isMainFrame: true } as Parameters<NonNullable<RequestHandler>>[3],
          ),
        );
        expect(granted, `${permission} request from ${origin}`).toBe(false);
        const checked = session.check!(
          null,
          permission as Parameters<NonNullable<CheckHandler>>[1],
          origin,
          {} as Parameters<NonNullable<CheckHandler>>[3],
        );
        expect(checked, `${permission} check from ${origin}`).toBe(false);
      }
    }
    expect(session.device!({} as Parameters<NonNullable<DeviceHandler>>[0])).toBe(false);
  });
});
