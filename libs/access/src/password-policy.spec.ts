import { passwordProblem } from './password-policy';

describe('passwordProblem', () => {
  it.each([
    ['short', 'viewer', 'at least 10 characters'],
    ['x'.repeat(257), 'viewer', 'at most 256'],
    ['station-admin', 'station-admin', 'not be the username'],
    ['Station-Admin2024!', 'station-admin', 'not be the username'],
    ['aaaaaaaaaaaa', 'viewer', 'at least 4 different characters'],
    ['abababababab', 'viewer', 'at least 4 different characters'],
    ['1234567890', 'viewer', 'most common'],
    ['QWERTYUIOP', 'viewer', 'most common'],
    ['password123', 'viewer', 'most common'],
  ])('refuses %j for %s (%s)', (password, username, rule) => {
    expect(passwordProblem(password, username)).toContain(rule);
  });

  it.each([
    ['correct horse battery', 'viewer'],
    ['admin-test-password', 'admin'],
    ['op-a-password-1', 'op-a'],
    ['Zürich-Wache-7', 'viewer'],
  ])('accepts %j for %s', (password, username) => {
    expect(passwordProblem(password, username)).toBeUndefined();
  });

  it('counts characters, not UTF-16 units', () => {
    expect(passwordProblem('😀😀😀😀😀', 'viewer')).toContain('it has 5');
  });
});
