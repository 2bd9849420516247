import { describe, expect, it } from 'vitest';
import { errorCodes } from '../../shared/errors.ts';
import { en } from './en.ts';
import { fr } from './fr.ts';
import { errorMessageKey, preferredLanguage, translate } from './index.ts';

function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((match) => match[1] ?? '').sort();
}

describe('i18n', () => {
  it('has exactly the same keys in French as in English', () => {
    expect(Object.keys(fr).sort()).toEqual(Object.keys(en).sort());
  });

  it('has no empty message and the same placeholders in both languages', () => {
    for (const [key, english] of Object.entries(en)) {
      const french = fr[key as keyof typeof en];
      expect(english.trim(), key).not.toBe('');
      expect(french.trim(), key).not.toBe('');
      expect(placeholders(french), key).toEqual(placeholders(english));
    }
  });

  it('has a message for every error code of the contract', () => {
    for (const code of errorCodes) {
      expect(en[errorMessageKey(code)], code).toBeTruthy();
      expect(fr[errorMessageKey(code)], code).toBeTruthy();
    }
  });

  it('fills placeholders and leaves unknown ones visible', () => {
    expect(translate('en', 'status.version', { version: '1.2.3' })).toBe('Version 1.2.3');
    expect(translate('fr', 'status.shell', { shell: 'Navigateur web' })).toBe('Interface : Navigateur web');
    expect(translate('en', 'status.version')).toBe('Version {version}');
  });

  it('picks the first supported browser language', () => {
    expect(preferredLanguage(['de-DE', 'fr-CA', 'en'])).toBe('fr');
    expect(preferredLanguage(['en-GB'])).toBe('en');
    expect(preferredLanguage(['de'])).toBe('en');
    expect(preferredLanguage([])).toBe('en');
  });
});
