import { dictionary } from '@zxcvbn-ts/language-common';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 256;
const MIN_DISTINCT_CHARACTERS = 4;

let common: ReadonlySet<string> | undefined;

/**
 * The common passwords long enough to pass the length rule, lower-cased: from the ranked list of
 * zxcvbn-ts (`@zxcvbn-ts/language-common`, ~49,000 leaked passwords, most common first); shorter ones
 * are refused by length anyway. Built on first use.
 */
function commonPasswords(): ReadonlySet<string> {
  return (common ??= new Set((dictionary['passwords-common'] as string[]).filter((p) => p.length >= PASSWORD_MIN_LENGTH).map((p) => p.toLowerCase())));
}

/**
 * Why a password is refused, naming the rule, or undefined when it is fine. Applied when a user is
 * created, changes its password or has it reset, and to TIERGATE_ADMIN_PASSWORD (NIST SP 800-63B §5.1.1.2:
 * a length floor, no composition rules, refuse known-bad and context-specific values).
 */
export function passwordProblem(password: string, username: string): string | undefined {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) return `password must be at least ${PASSWORD_MIN_LENGTH} characters long (it has ${length})`;
  if (length > PASSWORD_MAX_LENGTH) return `password must be at most ${PASSWORD_MAX_LENGTH} characters long`;
  const lower = password.toLowerCase();
  const name = username.toLowerCase();
  if (name && lower.includes(name) && !/\p{L}/u.test(lower.split(name).join(''))) {
    return 'password must not be the username, or the username with only digits or symbols added';
  }
  if (new Set(lower).size < MIN_DISTINCT_CHARACTERS) return `password must use at least ${MIN_DISTINCT_CHARACTERS} different characters`;
  if (commonPasswords().has(lower)) return 'password is one of the most common passwords: choose another';
  return undefined;
}
