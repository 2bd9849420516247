import { describe, expect, it } from 'vitest';
import { parseVerification } from './verification.ts';

describe('parseVerification', () => {
  it('reads version, CUDA, the GPU op and extra lines', () => {
    const result = parseVerification('torchvision=0.20.0\ncudnn=90300\nversion=2.5.0\ncuda=True\ngpu-op=ok\nnoise\n', 'python3 -c …');
    expect(result).toEqual({
      version: '2.5.0',
      cuda: true,
      gpuOp: 'ok',
      extra: { torchvision: '0.20.0', cudnn: '90300' },
      line: 'python3 -c …',
    });
  });

  it('leaves what was not printed null', () => {
    expect(parseVerification('', 'x')).toMatchObject({ version: null, cuda: null, gpuOp: null });
    expect(parseVerification('cuda=False', 'x').cuda).toBe(false);
  });
});
