/**
 * The English dictionary: the reference. Every user-facing string of the
 * renderer is a key here; `fr.ts` must have exactly the same keys (the type
 * checks it at compile time, `i18n.test.ts` at run time). Placeholders are
 * written `{name}` and filled by `t(key, { name })`.
 */
export const en = {
  'app.name': 'Jetson Workbench',
  'app.tagline': 'Lab workbench for NVIDIA Jetson boards',
  'app.documentTitle': '{view} · Jetson Workbench',
  'skip.toMain': 'Skip to main content',

  'nav.label': 'Views',
  'nav.overview': 'Overview',
  'nav.settings': 'Settings',

  'overview.title': 'Overview',
  'overview.intro': 'What this workbench runs on, and where it keeps its data.',
  'overview.loading': 'Loading the workbench information…',
  'overview.section.application': 'Application',
  'overview.section.system': 'System',
  'overview.section.storage': 'Storage',
  'overview.product': 'Product',
  'overview.version': 'Version',
  'overview.shell': 'Shell',
  'overview.platform': 'Platform',
  'overview.runtime': 'Runtime',
  'overview.dataDir': 'Data folder',
  'overview.database': 'Database file',
  'overview.schemaVersion': 'Database schema version',
  'overview.copyDataDir': 'Copy the data folder path to the clipboard',
  'overview.errorContext': 'The workbench information could not be loaded.',

  'shell.electron': 'Desktop application',
  'shell.serve': 'Web browser',
  'shell.cli': 'Command line',
  'shell.test': 'Test harness',

  'copy.action': 'Copy',
  'copy.done': 'Copied to the clipboard',
  'copy.failed': 'Copying failed: select the text and copy it by hand',

  'settings.title': 'Settings',
  'settings.intro': 'Changes are saved at once and apply to every open window.',
  'settings.language': 'Language',
  'settings.languageHint': 'The language of every screen of the workbench.',
  'settings.theme': 'Theme',
  'settings.themeHint': 'Colours of the interface. A light theme often reads better on a projector.',
  'settings.errorContext': 'The setting could not be saved.',
  'theme.system': 'System',
  'theme.systemHint': 'Follows your operating system',
  'theme.light': 'Light',
  'theme.lightHint': 'Dark text on a light background',
  'theme.dark': 'Dark',
  'theme.darkHint': 'Light text on a dark background',

  'status.label': 'Status',
  'status.shell': 'Shell: {shell}',
  'status.version': 'Version {version}',
  'connection.connecting': 'Connecting…',
  'connection.connected': 'Connected',
  'connection.lost': 'Connection lost, reconnecting…',

  'error.details': 'Technical details',
  'error.code': 'Error code: {code}',
  'error.retry': 'Try again',
  'error.unknown': 'An unexpected error happened.',
  'error.invalid-request': 'The request was refused because some of its values are not valid.',
  'error.unknown-method': 'The workbench does not know this request. The window and the workbench core may be of different versions.',
  'error.forbidden': 'This action is not allowed.',
  'error.not-found': 'The requested item does not exist.',
  'error.unavailable': 'The workbench core is not reachable. Check that it is still running.',
  'error.auth-failed': 'Authentication failed: check the user name, the password or the key.',
  'error.host-key-changed': 'The board’s host key has changed. It may have been reinstalled, or someone may be impersonating it.',
  'error.timeout': 'The operation took too long and was stopped.',
  'error.disk-full': 'The disk is full.',
  'error.unsupported': 'This is not supported here.',
  'error.cancelled': 'The operation was cancelled.',
  'error.conflict': 'This conflicts with an operation already in progress.',
  'error.internal': 'Something went wrong inside the workbench.',
} as const;

export type MessageKey = keyof typeof en;
export type Messages = Readonly<Record<MessageKey, string>>;
