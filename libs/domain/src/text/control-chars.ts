/** C0 controls except tab, LF and CR; DEL; C1 controls. NUL among them (Postgres cannot store it in text). */
// eslint-disable-next-line no-control-regex
const CONTROL = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Pure: a device- or file-supplied string fit to store and show: control characters (NUL included)
 * removed, surrounding white space trimmed, at most `maxLength` characters. For strings Tiergate does not
 * own and cannot refuse (a camera's device information), where refusing would lose the camera.
 */
export function cleanDeviceText(value: string, maxLength = 256): string {
  return value.replace(CONTROL, '').trim().slice(0, maxLength);
}

/** Pure: whether a string carries a NUL character (refused at the edge: 400 naming the field). */
export const hasNul = (value: string): boolean => value.includes('\u0000');
