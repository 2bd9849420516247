import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { randomSalt, sha512Crypt } from './sha512-crypt.ts';

/** The SHA-512 test vectors of Drepper's specification ("Unix crypt using SHA-256 and SHA-512"). */
const specVectors: [setting: string, password: string, hash: string][] = [
  ['$6$saltstring', 'Hello world!', '$6$saltstring$svn8UoSVapNtMuq1ukKS4tPQd8iKwSMHWjl/O817G3uBnIFNjnQJuesI68u4OTLiBFdcbYEdFCoEOfaS35inz1'],
  [
    '$6$rounds=10000$saltstringsaltstring',
    'Hello world!',
    '$6$rounds=10000$saltstringsaltst$OW1/O6BYHV6BcXZu8QVeXbDWra3Oeqh0sbHbbMCVNSnCM/UrjmM0Dp8vOuZeHBy/YTBmSK6H9qs/y3RnOaw5v.',
  ],
  [
    '$6$rounds=5000$toolongsaltstring',
    'This is just a test',
    '$6$rounds=5000$toolongsaltstrin$lQ8jolhgVRVhY4b5pZKaysCLi0QBxGoNeKQzQ3glMhwllF7oGDZxUhx1yxdYcz/e1JSbq3y6JMxxl8audkUEm0',
  ],
  [
    '$6$rounds=1400$anotherlongsaltstring',
    'a very much longer text to encrypt.  This one even stretches over morethan one line.',
    '$6$rounds=1400$anotherlongsalts$POfYwTEok97VWcjxIiSOjiykti.o/pQs.wPvMxQ6Fm7I6IoYN3CmLs66x9t0oSwbtEW7o7UmJEiDwGqd8p4ur1',
  ],
  [
    '$6$rounds=77777$short',
    'we have a short salt string but not a short password',
    '$6$rounds=77777$short$WuQyW2YR.hBNpjjRhpYD/ifIw05xdfeEyQoMxIXbkvr0gge1a1x3yRULJ5CCaUeOxFmtlcGZelFl5CxtgfiAc0',
  ],
  [
    '$6$rounds=123456$asaltof16chars..',
    'a short string',
    '$6$rounds=123456$asaltof16chars..$BtCwjqMJGx5hrJhZywWvt0RLE8uZ4oPwcelCjmw2kSYu.Ec6ycULevoBK25fs2xXgMNrCzIMVcgEJAstJeonj1',
  ],
  [
    '$6$rounds=10$roundstoolow',
    'the minimum number is still observed',
    '$6$rounds=1000$roundstoolow$kUMsbe306n21p9R.FRkW3IGn.S9NPN0x50YhH1xhLsPuWGsUSklZt58jaTfF4ZEQpyUNGc0dqbpBYYBaHHrsX.',
  ],
];

function openssl(password: string, salt: string): string {
  return execFileSync('openssl', ['passwd', '-6', '-salt', salt, password], { encoding: 'utf8' }).trim();
}

describe('sha512Crypt', () => {
  it.each(specVectors)('matches the specification for %s', (setting, password, hash) => {
    expect(sha512Crypt(password, setting)).toBe(hash);
  });

  it('matches openssl passwd -6 for passwords of every length class and non-ASCII text', () => {
    const passwords = ['a', 'jetson', 's3cret pass', 'x'.repeat(63), 'y'.repeat(64), 'z'.repeat(65), 'p'.repeat(128), 'pässwörd ✓ 密码'];
    for (const password of passwords) {
      const salt = randomSalt();
      expect(sha512Crypt(password, salt), JSON.stringify(password)).toBe(openssl(password, salt));
    }
    expect(sha512Crypt('Hello world!', 'rounds=10000$saltstringsaltstring')).toBe(
      openssl('Hello world!', 'rounds=10000$saltstringsaltstring'),
    );
  });

  it('makes a new 16-character salt of the crypt alphabet each time', () => {
    const hash = sha512Crypt('jetson');
    expect(hash).toMatch(/^\$6\$[./0-9A-Za-z]{16}\$[./0-9A-Za-z]{86}$/);
    expect(sha512Crypt('jetson')).not.toBe(hash);
    // The setting of a stored hash reproduces it: that is how a login checks the password.
    expect(sha512Crypt('jetson', hash)).toBe(hash);
  });
});
