/**
 * A stopped command must not keep running on the board. The SSH "signal"
 * request does that only on servers that honour it: OpenSSH refuses it for
 * root logins ("session signalling requires privilege separation", seen with
 * Debian's OpenSSH 9.2) and older servers do not know it. So a cancellable
 * command without stdin of its own runs under this watchdog: the command runs
 * in the background with stdin from /dev/null, a watcher reads our stdin,
 * and when we close the channel (cancel, timeout) or the connection dies, the
 * watcher sees end-of-file and sends TERM. The exit code is the command's
 * (128 + N when a signal ended it, as the shell reports it).
 */
/** The watcher and the wait, the same whichever way the command was started (its pid in `$pid`). */
const watchAndWait = [
  '{ while IFS= read -r _; do :; done; kill -TERM "$pid" 2>/dev/null; } <&3 &',
  'watcher=$!',
  'exec 3<&-',
  'wait "$pid"',
  'status=$?',
  'kill "$watcher" 2>/dev/null',
  'exit "$status"',
];

export const watchdogScript = ['exec 3<&0', '"$@" </dev/null 3<&- &', 'pid=$!', ...watchAndWait].join('\n');

/**
 * The same watchdog for a command run through `sudo -S`: it reads the first
 * line of our stdin (the password) and hands sudo that line alone, so a
 * refused password meets end-of-file at sudo's next prompt and fails at once
 * ("no password was provided") instead of waiting on a channel that stays
 * open for the watcher. The password lives only in this shell's memory
 * (`printf` is a builtin: it never appears in a process list).
 */
export const sudoWatchdogScript = [
  'exec 3<&0',
  'IFS= read -r secret <&3',
  'printf \'%s\\n\' "$secret" | "$@" 3<&- &',
  'pid=$!',
  'secret=',
  ...watchAndWait,
].join('\n');
