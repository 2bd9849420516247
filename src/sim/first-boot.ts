import type { SimBoard } from './board.ts';

/**
 * The oem-config setup a freshly flashed Jetson runs on its serial console
 * before the first login (../shared/reference/flashing-and-installing.md §4.1,
 * "Screen sequence in the serial (debconf) wizard": welcome, licence,
 * language, country, time zone, UTC clock, full name, user name, password
 * twice, APP partition size, swap file, network interface, hostname).
 *
 * The real one is an ncurses `dialog` UI; this one keeps its titles and order
 * but asks one question a line (`…: `), so a program can complete it.
 */
export interface LineIo {
  write(text: string): void;
  readLine(options?: { secret?: boolean }): Promise<string | null>;
}

interface Question {
  key: string;
  title: string;
  prompt: string;
  fallback: (board: SimBoard) => string;
  secret?: boolean;
  check?: (answer: string) => string | null;
}

const yesNo = (answer: string): string | null => (/^(y|yes|n|no|)$/i.test(answer) ? null : 'Please answer yes or no.');

const questions: Question[] = [
  { key: 'language', title: 'Welcome', prompt: 'Language [English]: ', fallback: () => 'English' },
  {
    key: 'country',
    title: 'Select your location',
    prompt: 'Country, territory or area [United States]: ',
    fallback: () => 'United States',
  },
  { key: 'timezone', title: 'Select your time zone', prompt: 'Time zone [America/Los_Angeles]: ', fallback: () => 'America/Los_Angeles' },
  { key: 'utc', title: 'Configure the clock', prompt: 'Is the system clock set to UTC? [Yes/no]: ', fallback: () => 'yes', check: yesNo },
  { key: 'fullName', title: 'Who are you?', prompt: 'Your name: ', fallback: () => 'Jetson User' },
  {
    key: 'user',
    title: 'Who are you?',
    prompt: 'Pick a username: ',
    fallback: (board) => board.user,
    check: (answer) => (/^[a-z_][a-z0-9_-]{0,31}$/.test(answer) ? null : 'Invalid username: use lower-case letters, digits, - and _.'),
  },
  {
    key: 'password',
    title: 'Who are you?',
    prompt: 'Choose a password: ',
    fallback: () => '',
    secret: true,
    check: (answer) => (answer.length > 0 ? null : 'The password must not be empty.'),
  },
  {
    key: 'appSize',
    title: 'APP Partition Size',
    prompt: 'Please enter desired size of APP partition in Megabytes (MB). Enter 0 or leave blank to use the maximum size value [0]: ',
    fallback: () => '0',
    check: (answer) => (/^\d*$/.test(answer) ? null : 'Enter a number of megabytes.'),
  },
  { key: 'swap', title: 'Create SWAP File', prompt: 'Create SWAP File (Recommended)? [Yes/no]: ', fallback: () => 'yes', check: yesNo },
  { key: 'network', title: 'Network configuration', prompt: 'Primary network interface [eth0]: ', fallback: () => 'eth0' },
  {
    key: 'hostname',
    title: 'Network configuration',
    prompt: 'Hostname: ',
    fallback: (board) => board.hostname,
    check: (answer) => (/^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(answer) ? null : 'Invalid hostname.'),
  },
];

const licence = [
  'License For Customer Use of NVIDIA Software',
  '',
  'IMPORTANT NOTICE -- READ CAREFULLY: This License For Customer Use of NVIDIA Software ("LICENSE")',
  'is the agreement which governs use of the software of NVIDIA Corporation and its subsidiaries',
  '("NVIDIA") downloadable herefrom. (This simulated board shows the first lines only.)',
  '',
].join('\n');

/** Plays the wizard; resolves false when the line closes (or reboots) before it completes. */
export async function runFirstBoot(board: SimBoard, io: LineIo): Promise<boolean> {
  io.write('\nWelcome to Jetson Initial Configuration\n\nPress <Enter> to continue: ');
  if ((await io.readLine()) === null) return false;
  io.write(`\n${licence}`);
  for (;;) {
    io.write('Do you accept the terms of this license? [yes/no]: ');
    const answer = await io.readLine();
    if (answer === null) return false;
    if (/^(y|yes|ok|accept)$/i.test(answer.trim())) break;
    io.write('You must accept the license to use this system.\n');
  }
  const answers: Record<string, string> = {};
  for (const question of questions) {
    const value = await ask(board, io, question);
    if (value === null) return false;
    answers[question.key] = value;
    if (question.key === 'password') {
      const again = await repeatPassword(io, value);
      if (again === null) return false;
    }
  }
  io.write('\nApplying changes...\n');
  board.state.user = answers.user ?? board.user;
  board.state.password = answers.password ?? board.state.password;
  board.state.hostname = answers.hostname ?? board.hostname;
  board.state.firstBootDone = true;
  await board.applyAccountChange();
  io.write('System configuration is complete.\n\n');
  return true;
}

async function ask(board: SimBoard, io: LineIo, question: Question): Promise<string | null> {
  io.write(`\n--- ${question.title} ---\n`);
  for (;;) {
    io.write(question.prompt);
    const raw = await io.readLine({ secret: question.secret });
    if (raw === null) return null;
    const answer = raw.trim() === '' ? question.fallback(board) : raw.trim();
    const problem = question.check?.(answer) ?? null;
    if (problem === null) return answer;
    io.write(`${problem}\n`);
  }
}

async function repeatPassword(io: LineIo, password: string): Promise<string | null> {
  for (;;) {
    io.write('Re-enter password to verify: ');
    const again = await io.readLine({ secret: true });
    if (again === null) return null;
    if (again === password) return again;
    io.write('Passwords do not match. Please try again.\n');
  }
}
