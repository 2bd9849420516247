import { println, type CommandContext, type CommandHandler } from '../shell/context.ts';
import { splitFlags } from './util.ts';

/** uname, free, df, ip, reboot: what a board says about its system. */

function unameFields(context: CommandContext): string[] {
  const fields = context.session.board.profile.uname.split(' ');
  fields[1] = context.session.board.hostname;
  return fields;
}

async function uname(context: CommandContext): Promise<number> {
  const { flags } = splitFlags(context.argv.slice(1));
  const fields = unameFields(context);
  const arch = context.session.board.profile.arch;
  if (flags.has('-a') || flags.has('--all')) println(context.stdout, fields.join(' '));
  else {
    const picks: string[] = [];
    if (flags.has('-s') || flags.size === 0) picks.push('Linux');
    if (flags.has('-n')) picks.push(fields[1] ?? '');
    if (flags.has('-r')) picks.push(fields[2] ?? '');
    if (flags.has('-m') || flags.has('-p') || flags.has('-i')) picks.push(arch);
    println(context.stdout, picks.join(' '));
  }
  return 0;
}

function humanMb(mb: number): string {
  if (mb >= 1024) return `${(mb / 1024).toFixed(1)}Gi`;
  return `${Math.round(mb)}Mi`;
}

async function free(context: CommandContext): Promise<number> {
  const { flags } = splitFlags(context.argv.slice(1));
  const board = context.session.board;
  const snapshot = board.snapshot();
  const total = board.profile.memory.ramMb;
  const used = Math.round(snapshot.ramUsedMb);
  const cache = Math.round((total - used) * 0.35);
  const freeMb = total - used - cache;
  const swapTotal = board.profile.memory.swapMb;
  const swapUsed = Math.round(snapshot.swapUsedMb);
  const show = (mb: number): string =>
    flags.has('-h') ? humanMb(mb) : flags.has('-m') ? String(Math.round(mb)) : String(Math.round(mb * 1024));
  const row = (label: string, values: number[]): string => `${label.padEnd(7)}${values.map((value) => show(value).padStart(12)).join('')}`;
  println(
    context.stdout,
    `${''.padEnd(7)}${['total', 'used', 'free', 'shared', 'buff/cache', 'available'].map((name) => name.padStart(12)).join('')}`,
  );
  println(context.stdout, row('Mem:', [total, used, freeMb, 30, cache, total - used]));
  println(context.stdout, row('Swap:', [swapTotal, swapUsed, swapTotal - swapUsed]));
  return 0;
}

async function df(context: CommandContext): Promise<number> {
  const { flags } = splitFlags(context.argv.slice(1));
  const board = context.session.board;
  const totalMb = board.profile.disk.totalGb * 1024;
  const freeMb = board.diskFreeMb();
  const usedMb = totalMb - freeMb;
  const device = board.profile.kind === 'jetson' ? '/dev/mmcblk0p1' : '/dev/nvme0n1p2';
  const human = flags.has('-h');
  const show = (mb: number): string => (human ? `${Math.round(mb / 1024)}G` : String(Math.round(mb * 1024)));
  const percent = `${Math.ceil((usedMb / totalMb) * 100)}%`;
  println(
    context.stdout,
    human ? 'Filesystem      Size  Used Avail Use% Mounted on' : 'Filesystem     1K-blocks     Used Available Use% Mounted on',
  );
  const widths = human ? [5, 5, 5] : [9, 8, 9];
  println(
    context.stdout,
    `${device.padEnd(human ? 15 : 14)} ${show(totalMb).padStart(widths[0] ?? 5)} ${show(usedMb).padStart(widths[1] ?? 5)} ${show(freeMb).padStart(widths[2] ?? 5)} ${percent.padStart(4)} /`,
  );
  return 0;
}

/** `-o`/`-oneline`/`-4`, and the combined `-4o` spellings iproute2 accepts. */
const ipFlags = new Set(['-4', '-o', '-oneline', '-4o', '-o4']);

/**
 * `ip [-4] [-o] addr`. With `-o` each address is one line: iproute2's
 * `print_linkinfo`/`print_addrinfo` in one-line mode write `N: name    inet …`
 * and turn the continuation newline into `\` (iproute2 ip/ipaddress.c,
 * `_SL_`), e.g. `1: lo    inet 127.0.0.1/8 scope host lo\       valid_lft forever preferred_lft forever`.
 */
async function ip(context: CommandContext): Promise<number> {
  const flags = context.argv.slice(1).filter((arg) => ipFlags.has(arg));
  const args = context.argv.slice(1).filter((arg) => !ipFlags.has(arg));
  if (args[0] !== 'addr' && args[0] !== 'a' && args[0] !== 'address') {
    context.stderr.write('Usage: ip [ OPTIONS ] OBJECT { COMMAND | help }\n');
    return 255;
  }
  const host = context.session.board.options.host;
  const interfaces = [
    {
      link: '1: lo: <LOOPBACK,UP,LOWER_UP> mtu 65536 qdisc noqueue state UNKNOWN group default qlen 1000',
      inet: 'inet 127.0.0.1/8 scope host lo',
      lifetime: 'valid_lft forever preferred_lft forever',
      name: '1: lo',
    },
    {
      link: '2: eth0: <BROADCAST,MULTICAST,UP,LOWER_UP> mtu 1500 qdisc mq state UP group default qlen 1000',
      inet: `inet ${host}/8 brd 127.255.255.255 scope global dynamic noprefixroute eth0`,
      lifetime: 'valid_lft 86234sec preferred_lft 86234sec',
      name: '2: eth0',
    },
  ];
  const oneLine = flags.some((flag) => flag.includes('o'));
  for (const entry of interfaces) {
    if (oneLine) println(context.stdout, `${entry.name}    ${entry.inet}\\       ${entry.lifetime}`);
    else {
      println(context.stdout, entry.link);
      println(context.stdout, `    ${entry.inet}`);
      println(context.stdout, `       ${entry.lifetime}`);
    }
  }
  return 0;
}

async function reboot(context: CommandContext): Promise<number> {
  if (!context.session.root) {
    context.stderr.write(
      'Failed to set wall message, ignoring: Interactive authentication required.\nFailed to reboot system via logind: Interactive authentication required.\nFailed to open initctl fifo: Permission denied\nFailed to talk to init daemon.\n',
    );
    return 1;
  }
  // Let the caller's output flush before the connection drops.
  setTimeout(() => context.session.board.reboot(), 50).unref();
  return 0;
}

export const systemCommands: Record<string, CommandHandler> = { uname, free, df, ip, reboot };
