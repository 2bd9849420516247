/**
 * oem-config's serial wizard answered from a first-boot config. The screens
 * and their order are those of /work/shared/reference/flashing-and-installing.md
 * §4.1 ("Screen sequence in the serial (debconf) wizard"): welcome, licence,
 * language, country, time zone, UTC clock, full name, user name, password
 * twice (and the weak-password warning), APP partition size, swap file,
 * primary network interface, hostname. The simulated board asks the same
 * questions one a line (src/sim/first-boot.ts). A question matched by no rule
 * gets `undefined`: the UI then asks the student, who sees the screen.
 */
import type { FirstBootConfig } from './first-boot.ts';

interface Rule {
  matches: (question: string) => boolean;
  answer: (config: FirstBootConfig) => string | undefined;
}

const has =
  (...patterns: RegExp[]) =>
  (question: string): boolean =>
    patterns.every((pattern) => pattern.test(question));

/** First match wins: the specific password questions come before the generic one, user name before full name. */
const rules: Rule[] = [
  // Screen 1: "Press space to start" on the real wizard, "Press <Enter> to continue" on the simulated one.
  { matches: has(/\bpress\s*<?\s*space\b/i), answer: () => ' ' },
  { matches: has(/\bpress\s*<?\s*enter\b/i), answer: () => '' },
  { matches: has(/\b(accept|agree)\b/i, /\b(licen[cs]e|terms)\b/i), answer: (config) => (config.acceptLicense ? 'yes' : undefined) },
  // "A 'weak password' warning defaults to <No>" (§4.1): the student chose this password in the form, so keep it.
  { matches: has(/\bweak\b/i, /\bpassword\b/i), answer: () => 'yes' },
  { matches: has(/\b(wi-?fi|wireless|wpa)\b/i, /\b(password|passphrase|key)\b/i), answer: (config) => config.wifi?.password },
  { matches: has(/\bpassword\b/i), answer: (config) => config.password },
  { matches: has(/\b(ssid|wireless network|wi-?fi network)\b/i), answer: (config) => config.wifi?.ssid },
  { matches: has(/\buser ?name\b/i), answer: (config) => config.user },
  { matches: has(/\b(your|full|real) name\b/i), answer: (config) => config.fullName ?? config.user },
  { matches: has(/\blanguage\b/i), answer: (config) => languageName(config.locale) },
  { matches: has(/\bclock\b/i, /\bUTC\b/), answer: () => 'yes' },
  { matches: has(/\btime ?zone\b/i), answer: (config) => config.timezone },
  { matches: has(/\b(country|territory)\b/i), answer: (config) => countryName(config) },
  // nvresizefs: "Enter 0 or leave blank to use the maximum size value" (§4.1 screen 8); a lab board wants all of it.
  { matches: has(/\bAPP partition\b/i), answer: () => '0' },
  // nvswap: "Create SWAP File (Recommended)?" (§4.1 screen 9); deep learning needs it on the smaller modules.
  { matches: has(/\bswap\b/i), answer: () => 'yes' },
  { matches: has(/\bnetwork interface\b/i), answer: (config) => (config.wifi === undefined ? 'eth0' : 'wlan0') },
  { matches: has(/\b(host ?name|computer'?s? name)\b/i), answer: (config) => config.hostname },
];

/** The answer to type for oem-config's `question` (its last line on the console), or undefined when the student must. */
export function oemConfigAnswer(question: string, config: FirstBootConfig): string | undefined {
  const text = question.replace(/\s+/g, ' ').trim();
  return rules.find((rule) => rule.matches(text))?.answer(config);
}

/**
 * A question whose answer is a secret (the account's or the Wi-Fi's
 * password): typed without echo, never shown or logged. A yes/no question
 * about a password ("Use weak password?") is not one.
 */
export function isSecretQuestion(question: string): boolean {
  return /\b(pass(word|phrase)|psk)\b/i.test(question) && !/\?\s*(\[[^\]]*\])?\s*:?\s*$/.test(question.trim());
}

/** `de_DE.UTF-8` → "German", the English name the wizard's language list shows. */
function languageName(locale: string): string | undefined {
  return displayName('language', locale.split(/[_.]/)[0] ?? '');
}

/** The locale's territory (`en_GB` → "United Kingdom"), else the Wi-Fi's regulatory country. */
function countryName(config: FirstBootConfig): string | undefined {
  const territory = /_([A-Z]{2})\./.exec(config.locale)?.[1] ?? config.wifi?.country;
  return territory === undefined ? undefined : displayName('region', territory);
}

function displayName(type: 'language' | 'region', code: string): string | undefined {
  try {
    const name = new Intl.DisplayNames(['en'], { type, fallback: 'none' }).of(code);
    return name === undefined || name === code ? undefined : name;
  } catch {
    // A runtime without ICU data: let the student pick from the list.
    return undefined;
  }
}
