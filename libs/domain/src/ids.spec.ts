import { isSafeFileName, isSafeId, isUuid } from './ids';

describe('ids', () => {
  it('accepts UUIDs in either case and nothing around them', () => {
    expect(isUuid('0b7c6a4e-3f1d-4c2b-9a8e-1f2d3c4b5a69')).toBe(true);
    expect(isUuid('0B7C6A4E-3F1D-4C2B-9A8E-1F2D3C4B5A69')).toBe(true);
    expect(isUuid(' 0b7c6a4e-3f1d-4c2b-9a8e-1f2d3c4b5a69')).toBe(false);
    expect(isUuid("0b7c6a4e-3f1d-4c2b-9a8e-1f2d3c4b5a69' OR 1=1")).toBe(false);
    expect(isUuid(42)).toBe(false);
  });
  it('safe ids and file names keep paths inside their directory', () => {
    expect(isSafeId('worker-1_a')).toBe(true);
    expect(isSafeId('../etc')).toBe(false);
    expect(isSafeId('a'.repeat(65))).toBe(false);
    expect(isSafeFileName('index.m3u8')).toBe(true);
    expect(isSafeFileName('.hidden')).toBe(false);
    expect(isSafeFileName('a/b.ts')).toBe(false);
  });
});
