/**
 * The renderer's one translation layer: two dictionaries and a typed `t`.
 * Kept deliberately small (no ICU, no plural rules): the workbench's strings
 * are short sentences, and a key that needs a plural gets two keys.
 */
import type { ErrorCode } from '../../shared/errors.ts';
import type { Preferences } from '../../shared/api.ts';
import { en, type MessageKey, type Messages } from './en.ts';
import { fr } from './fr.ts';

export type { MessageKey };
export type Language = Preferences['language'];
export type TranslationParams = Readonly<Record<string, string | number>>;

export const dictionaries: Readonly<Record<Language, Messages>> = { en, fr };

/**
 * Each language named in itself, as language pickers do, so a student who
 * lands in the wrong language still finds their own.
 */
export const languageNames: Readonly<Record<Language, string>> = { en: 'English', fr: 'Français' };

export function translate(language: Language, key: MessageKey, params?: TranslationParams): string {
  const template = dictionaries[language][key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (placeholder, name: string) => {
    const value = params[name];
    return value === undefined ? placeholder : String(value);
  });
}

/** The dictionary key of an error code; the type fails if a code lacks a message. */
export function errorMessageKey(code: ErrorCode): `error.${ErrorCode}` & MessageKey {
  return `error.${code}`;
}

/** The language to show before the settings arrive: the browser's, if we have it. */
export function preferredLanguage(browserLanguages: readonly string[]): Language {
  for (const tag of browserLanguages) {
    const primary = tag.toLowerCase().split('-')[0];
    if (primary === 'fr' || primary === 'en') return primary;
  }
  return 'en';
}
