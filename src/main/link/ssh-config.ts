import { readdir, readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';

/**
 * The boards a student already set up in `~/.ssh/config`, as connectable
 * hosts. OpenSSH semantics (ssh_config(5)): for each setting the FIRST value
 * obtained wins, from every `Host` block whose patterns match the alias, in
 * file order (so `Host *` defaults at the end fill only what is still unset).
 * Only the settings the workbench uses are read; `Match` blocks are skipped.
 */
export interface SshConfigHost {
  /** The name typed after `ssh` (a concrete, wildcard-free `Host` pattern). */
  alias: string;
  /** Where to connect: `HostName` (with `%h` expanded), else the alias. */
  hostName: string;
  user?: string;
  port?: number;
  /** `IdentityFile` values, `~` and `%d` expanded, in order. */
  identityFiles: string[];
  /** Reported so the UI can say it is not supported yet. */
  proxyJump?: string;
  /** Sentences about what the workbench will not honour for this host. */
  warnings: string[];
}

interface ConfigBlock {
  patterns: string[];
  settings: Array<{ key: string; value: string }>;
}

export interface ParseOptions {
  /** For `~` in IdentityFile and Include; default the user's home. */
  home?: string;
  /** Text of an included file by absolute path (or glob), one entry per matching file. The loader fills this in. */
  include?: (path: string) => string[];
}

const readKeys = new Set(['hostname', 'user', 'port', 'identityfile', 'proxyjump', 'proxycommand']);

export function parseSshConfig(text: string, options: ParseOptions = {}): SshConfigHost[] {
  const home = options.home ?? homedir();
  const blocks = parseBlocks(text, home, options.include ?? (() => []), 0);
  const aliases = new Set<string>();
  for (const block of blocks) for (const pattern of block.patterns) if (!/[*?!]/.test(pattern)) aliases.add(pattern);
  return [...aliases].map((alias) => resolveHost(alias, blocks, home));
}

function parseBlocks(text: string, home: string, include: (path: string) => string[], depth: number): ConfigBlock[] {
  // Settings before the first Host line apply to every host, like `Host *` at the top.
  const blocks: ConfigBlock[] = [{ patterns: ['*'], settings: [] }];
  let current = blocks[0];
  for (const rawLine of text.split(/\r?\n/)) {
    const entry = splitLine(rawLine);
    if (entry === undefined) continue;
    if (entry.key === 'host') {
      current = { patterns: splitWords(entry.value), settings: [] };
      blocks.push(current);
    } else if (entry.key === 'match') {
      // Match conditions (exec, user, …) cannot be judged here: ignore the block rather than guess.
      current = { patterns: [], settings: [] };
      blocks.push(current);
    } else if (entry.key === 'include' && depth < 8) {
      for (const path of splitWords(entry.value)) {
        const absolute = expandHome(path, home);
        const full = isAbsolute(absolute) ? absolute : join(home, '.ssh', absolute);
        for (const included of include(full)) {
          // An Include inside a Host block applies only under that block's patterns.
          const patterns = current?.patterns ?? ['*'];
          const [leading, ...hostBlocks] = parseBlocks(included, home, include, depth + 1);
          if (leading !== undefined) blocks.push({ patterns, settings: leading.settings });
          blocks.push(...hostBlocks);
        }
      }
    } else if (readKeys.has(entry.key)) {
      current?.settings.push(entry);
    }
  }
  return blocks;
}

/** `Key value`, `Key=value`, `Key = "quoted value"`; comments and blanks skipped. */
function splitLine(line: string): { key: string; value: string } | undefined {
  const trimmed = line.trim();
  if (trimmed === '' || trimmed.startsWith('#')) return undefined;
  const match = /^([A-Za-z]+)\s*(?:=\s*|\s+)(.*)$/.exec(trimmed);
  if (match === null) return undefined;
  return { key: (match[1] ?? '').toLowerCase(), value: (match[2] ?? '').trim() };
}

function splitWords(value: string): string[] {
  return [...value.matchAll(/"([^"]*)"|(\S+)/g)].map((match) => match[1] ?? match[2] ?? '').filter((word) => word !== '');
}

function resolveHost(alias: string, blocks: readonly ConfigBlock[], home: string): SshConfigHost {
  const first = new Map<string, string>();
  const identityFiles: string[] = [];
  for (const block of blocks) {
    if (!matchesPatterns(alias, block.patterns)) continue;
    for (const { key, value } of block.settings) {
      // IdentityFile accumulates (every one is tried); everything else: first value wins.
      if (key === 'identityfile') identityFiles.push(expandIdentity(unquote(value), home, alias));
      else if (!first.has(key)) first.set(key, unquote(value));
    }
  }
  const host: SshConfigHost = { alias, hostName: (first.get('hostname') ?? alias).replaceAll('%h', alias), identityFiles, warnings: [] };
  const user = first.get('user');
  if (user !== undefined) host.user = user;
  const port = Number(first.get('port'));
  if (Number.isInteger(port) && port > 0 && port < 65_536) host.port = port;
  const proxyJump = first.get('proxyjump');
  if (proxyJump !== undefined && proxyJump.toLowerCase() !== 'none') {
    host.proxyJump = proxyJump;
    host.warnings.push(`This host is reached through ${proxyJump} (ProxyJump); the workbench cannot connect through a jump host yet.`);
  }
  if (first.has('proxycommand') && first.get('proxycommand')?.toLowerCase() !== 'none') {
    host.warnings.push('This host uses a ProxyCommand; the workbench connects directly and may not reach it.');
  }
  return host;
}

/** ssh_config(5) PATTERNS: `*`, `?`, comma or space lists, `!` negation (a negated match excludes the block). */
export function matchesPatterns(name: string, patterns: readonly string[]): boolean {
  let matched = false;
  for (const pattern of patterns.flatMap((item) => item.split(','))) {
    if (pattern === '') continue;
    const negated = pattern.startsWith('!');
    if (globMatches(negated ? pattern.slice(1) : pattern, name)) {
      if (negated) return false;
      matched = true;
    }
  }
  return matched;
}

function globMatches(pattern: string, name: string): boolean {
  const source = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replaceAll('*', '.*')
    .replaceAll('?', '.');
  return new RegExp(`^${source}$`, 'i').test(name);
}

function unquote(value: string): string {
  return value.length >= 2 && value.startsWith('"') && value.endsWith('"') ? value.slice(1, -1) : value;
}

function expandHome(path: string, home: string): string {
  if (path === '~') return home;
  return path.startsWith('~/') ? join(home, path.slice(2)) : path;
}

function expandIdentity(path: string, home: string, alias: string): string {
  const expanded = expandHome(path.replaceAll('%d', home).replaceAll('%h', alias), home);
  return isAbsolute(expanded) ? expanded : join(home, expanded);
}

/**
 * Reads `~/.ssh/config` (or `path`) with its `Include`s: plain paths and a
 * `*`/`?` glob in the last path part. A missing file means no hosts.
 */
export async function loadSshConfig(path?: string, home = homedir()): Promise<SshConfigHost[]> {
  const configPath = path ?? join(home, '.ssh', 'config');
  const text = await readFile(configPath, 'utf8').catch(() => undefined);
  if (text === undefined) return [];
  const files = await collectIncludes(text, home, 0);
  return parseSshConfig(text, { home, include: (includePath) => files.get(includePath) ?? [] });
}

/** The parser is synchronous and pure, so read every included file up front. */
async function collectIncludes(
  text: string,
  home: string,
  depth: number,
  found = new Map<string, string[]>(),
): Promise<Map<string, string[]>> {
  if (depth >= 8) return found;
  for (const line of text.split(/\r?\n/)) {
    const entry = splitLine(line);
    if (entry?.key !== 'include') continue;
    for (const word of splitWords(entry.value)) {
      const expanded = expandHome(word, home);
      const full = isAbsolute(expanded) ? expanded : join(home, '.ssh', expanded);
      if (found.has(full)) continue;
      const texts = await readGlob(full);
      found.set(full, texts);
      for (const included of texts) await collectIncludes(included, home, depth + 1, found);
    }
  }
  return found;
}

async function readGlob(path: string): Promise<string[]> {
  const name = basename(path);
  if (!/[*?]/.test(name)) {
    const text = await readFile(path, 'utf8').catch(() => undefined);
    return text === undefined ? [] : [text];
  }
  const folder = dirname(path);
  const names = (await readdir(folder).catch(() => [] as string[])).filter((entry) => globMatches(name, entry)).sort();
  const texts = await Promise.all(names.map((entry) => readFile(join(folder, entry), 'utf8').catch(() => undefined)));
  return texts.filter((text): text is string => text !== undefined);
}
