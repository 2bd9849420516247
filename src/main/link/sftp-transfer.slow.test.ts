import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TransferProgress } from '../../shared/board-link.ts';
import { WorkbenchFailure } from '../../shared/errors.ts';
import { SshTestServer } from '../../../test/support/ssh-test-server.ts';
import { KnownHosts } from './known-hosts.ts';
import { SshLink } from './ssh-link.ts';

let server: SshTestServer;
let localDir: string;
let link: SshLink;

beforeEach(async () => {
  server = await SshTestServer.start();
  localDir = mkdtempSync(join(tmpdir(), 'jwb-sftp-'));
  link = await SshLink.connect(
    { host: '127.0.0.1', port: server.port, username: server.user.username, password: server.user.password, agentSocket: null },
    { knownHosts: new KnownHosts(join(localDir, 'known-hosts.json')), confirmNewHost: async () => true, readyTimeoutMs: 5_000 },
  );
});

afterEach(async () => {
  await link.close();
  await server.close();
  rmSync(localDir, { recursive: true, force: true });
});

function sha256(bytes: Buffer): string {
  return createHash('sha256').update(bytes).digest('hex');
}

async function failureOf(promise: Promise<unknown>): Promise<WorkbenchFailure> {
  const error: unknown = await promise.then(
    () => new Error('expected a failure'),
    (failure: unknown) => failure,
  );
  if (!(error instanceof WorkbenchFailure)) throw error;
  return error;
}

describe('SshLink file transfer', () => {
  it('uploads with progress and a checksum verified on the board', async () => {
    const content = randomBytes(1_500_000);
    const localPath = join(localDir, 'model.onnx');
    writeFileSync(localPath, content);
    const progress: TransferProgress[] = [];
    const result = await link.upload(localPath, 'model.onnx', { onProgress: (step) => progress.push(step) });
    expect(result).toEqual({ sha256: sha256(content), bytes: content.length });
    expect(readFileSync(join(server.home, 'model.onnx')).equals(content)).toBe(true);
    expect(progress.length).toBeGreaterThan(2);
    expect(progress.at(-1)).toEqual({ bytes: content.length, totalBytes: content.length });
    expect(progress.every((step, index) => index === 0 || step.bytes > (progress[index - 1]?.bytes ?? 0))).toBe(true);
    expect(server.commandLines).toContain('sha256sum -- model.onnx');
  });

  it('detects a file damaged on the way', async () => {
    const content = randomBytes(10_000);
    const localPath = join(localDir, 'agent.tar');
    writeFileSync(localPath, content);
    server.sftpSwitches.corruptUploads = true;
    const failure = await failureOf(link.upload(localPath, 'agent.tar'));
    expect(failure.code).toBe('corrupted');
    expect(failure.message).toMatch(/damaged/);
    expect(failure.detail).toContain(sha256(content));
    expect(failure.detail).toContain(sha256(readFileSync(join(server.home, 'agent.tar'))));
  });

  it('downloads with progress, verified, without leaving a partial file', async () => {
    const content = randomBytes(700_000);
    writeFileSync(join(server.home, 'results.sqlite'), content);
    const localPath = join(localDir, 'results.sqlite');
    const progress: TransferProgress[] = [];
    const result = await link.download('results.sqlite', localPath, { onProgress: (step) => progress.push(step) });
    expect(result).toEqual({ sha256: sha256(content), bytes: content.length });
    expect(readFileSync(localPath).equals(content)).toBe(true);
    expect(progress.at(-1)).toEqual({ bytes: content.length, totalBytes: content.length });

    const missing = await failureOf(link.download('no-such-file', join(localDir, 'nothing')));
    expect(missing.code).toBe('not-found');
    expect(() => readFileSync(join(localDir, 'nothing.part'))).toThrow();
  });

  it('names a full disk as disk-full', async () => {
    const localPath = join(localDir, 'big.bin');
    writeFileSync(localPath, randomBytes(50_000));
    server.sftpSwitches.failWrites = true;
    // The board's df reports plenty of room: the link must not blame the disk.
    expect((await failureOf(link.upload(localPath, 'big.bin'))).code).toBe('unavailable');
    server.sftpSwitches.failWrites = false;
    server.sftpSwitches.diskFull = true;
    const full = await failureOf(link.upload(localPath, 'big.bin'));
    expect(full.code).toBe('disk-full');
    expect(full.message).toMatch(/storage is full/);
  });
});
