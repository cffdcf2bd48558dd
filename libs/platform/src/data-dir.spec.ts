import { keyFileExposed } from './data-dir';

describe('keyFileExposed', () => {
  it('accepts only modes that leave the group and others nothing', () => {
    expect(keyFileExposed(0o100600)).toBe(false);
    expect(keyFileExposed(0o100400)).toBe(false);
    expect(keyFileExposed(0o100640)).toBe(true);
    expect(keyFileExposed(0o100644)).toBe(true);
    expect(keyFileExposed(0o100602)).toBe(true);
    expect(keyFileExposed(0o100660)).toBe(true);
  });
});
