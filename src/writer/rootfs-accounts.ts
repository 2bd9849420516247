/**
 * The account NVIDIA's `tools/l4t_create_default_user.sh` makes (it runs
 * `useradd` in a qemu chroot: /work/shared/reference/flashing-and-installing.md
 * §4.2), made here by editing the image's `passwd`, `group`, `shadow` and
 * `gshadow` as text: no chroot, no qemu, the same lines `useradd -m -s
 * /bin/bash -G …` writes. Pure text in, text out; rootfs-config.ts reads and
 * writes the files.
 */
import { WorkbenchFailure } from '../shared/errors.ts';

/**
 * The groups §4.2 says the script adds (`sudo,video,audio,adm,render,
 * weston-launch`), and `dialout` so the student can open a serial port from
 * the board. Only the ones the image has are used, as `useradd -G` would fail otherwise.
 */
export const supplementaryGroups = ['sudo', 'video', 'audio', 'adm', 'render', 'weston-launch', 'dialout'] as const;

/** `/etc/login.defs` UID_MIN / UID_MAX (and GID_*) on Ubuntu. */
const firstId = 1000;
const lastId = 60000;

export interface AccountFiles {
  passwd: string;
  group: string;
  shadow: string;
  /** Absent on some minimal images: then it is left absent. */
  gshadow: string | null;
}

export interface NewAccount {
  user: string;
  fullName: string;
  /** A crypt(3) hash (`$6$…`). */
  passwordHash: string;
  /** The day of the change (`shadow`'s lastchg), days since 1970-01-01. */
  changedDay: number;
}

export interface AccountChange {
  uid: number;
  gid: number;
  home: string;
  groups: string[];
  files: AccountFiles;
}

function rows(text: string): string[][] {
  return lines(text).map((line) => line.split(':'));
}

function lines(text: string): string[] {
  return text.split('\n').filter((line, index, all) => line !== '' || index < all.length - 1);
}

function unparse(rowsOf: string[][]): string {
  return rowsOf.map((row) => row.join(':')).join('\n') + '\n';
}

/** useradd's choice: one above the highest id in use in the user range, or the first free one when that is taken. */
function nextFreeId(used: Set<number>, preferred?: number): number {
  if (preferred !== undefined && !used.has(preferred)) return preferred;
  const inRange = [...used].filter((id) => id >= firstId && id <= lastId);
  const above = inRange.length === 0 ? firstId : Math.max(...inRange) + 1;
  if (above <= lastId) return above;
  for (let id = firstId; id <= lastId; id += 1) if (!used.has(id)) return id;
  throw new WorkbenchFailure('conflict', 'The image has no free user id left (1000 to 60000 are all taken).');
}

function ids(rowsOf: string[][]): Set<number> {
  return new Set(rowsOf.map((row) => Number(row[2])).filter((id) => Number.isInteger(id)));
}

/** Adds `user` to the member list (4th field) of each named group that the file has; returns the ones it found. */
function addMember(rowsOf: string[][], groups: readonly string[], user: string, memberField: number): string[] {
  const found: string[] = [];
  for (const row of rowsOf) {
    const name = row[0] ?? '';
    if (!groups.includes(name)) continue;
    while (row.length <= memberField) row.push('');
    const members = (row[memberField] ?? '').split(',').filter((member) => member !== '');
    if (!members.includes(user)) members.push(user);
    row[memberField] = members.join(',');
    found.push(name);
  }
  return found;
}

/** The four files with `account` added, or a conflict when the user or its group is already there. */
export function addAccount(files: AccountFiles, account: NewAccount): AccountChange {
  const passwd = rows(files.passwd);
  const group = rows(files.group);
  const shadow = rows(files.shadow);
  const gshadow = files.gshadow === null ? null : rows(files.gshadow);
  const { user } = account;
  if (passwd.some((row) => row[0] === user) || shadow.some((row) => row[0] === user)) {
    throw new WorkbenchFailure('conflict', `The image already has a user called ${user}: pick another name.`, `etc/passwd: ${user}`);
  }
  if (group.some((row) => row[0] === user)) {
    throw new WorkbenchFailure('conflict', `The image already has a group called ${user}: pick another user name.`, `etc/group: ${user}`);
  }
  const uid = nextFreeId(ids(passwd));
  const gid = nextFreeId(ids(group), uid);
  const home = `/home/${user}`;
  const groups = addMember(group, supplementaryGroups, user, 3);
  passwd.push([user, 'x', String(uid), String(gid), account.fullName, home, '/bin/bash']);
  group.push([user, 'x', String(gid), '']);
  // name:hash:lastchg:min:max:warn:inactive:expire:reserved, with Ubuntu's login.defs ageing (0, 99999, 7).
  shadow.push([user, account.passwordHash, String(account.changedDay), '0', '99999', '7', '', '', '']);
  if (gshadow !== null) {
    addMember(gshadow, groups, user, 3);
    gshadow.push([user, '!', '', '']);
  }
  return {
    uid,
    gid,
    home,
    groups,
    files: { passwd: unparse(passwd), group: unparse(group), shadow: unparse(shadow), gshadow: gshadow === null ? null : unparse(gshadow) },
  };
}
