import { describe, expect, it } from 'vitest';
import { defaultLab, labPlanFor, moduleFamilyOf, parseLabFile } from './lab-file.ts';

const lab = `{
  "version": 1,
  "title": "Energy of MNIST training on Orin",
  "modules": ["orin-nano", "orin-nx"],
  "jetpack": "6.2",
  "libraries": ["pytorch"],
  "plan": {
    "suites": ["mnist-train"],
    "frameworks": ["numpy", "torch"],
    "repeats": 6,
    "trainLimit": 3000
  },
  "report": { "title": "MNIST energy", "fields": ["student", "group"] }
}
`;

describe('lab files', () => {
  it('reads a teacher’s lab file with its defaults filled in', () => {
    const result = parseLabFile(lab, 'orin.lab.json');
    expect(result).toMatchObject({
      ok: true,
      lab: {
        modules: ['orin-nano', 'orin-nx'],
        libraries: ['pytorch'],
        plan: { suites: ['mnist-train'], frameworks: ['numpy', 'torch'], repeats: 6, batchSizes: [], powerModes: [] },
        report: { fields: ['student', 'group'] },
      },
    });
  });

  it('names the field and its line, for each mistake', () => {
    const wrong = lab.replace('"repeats": 6', '"repeats": 3').replace('"orin-nx"', '"orin-mega"');
    const result = parseLabFile(wrong, 'orin.lab.json');
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.errors).toHaveLength(2);
    expect(result.errors[0]).toMatch(/^orin\.lab\.json:4: modules\.1: /);
    expect(result.errors[1]).toBe('orin.lab.json:10: plan.repeats: Use at least 6 repeats: fewer give no confidence interval.');
  });

  it('points a missing field at its parent, and an unknown one at itself', () => {
    const missing = parseLabFile(lab.replace('"suites": ["mnist-train"],\n', ''), 'x.json');
    expect(missing.ok ? [] : missing.errors).toEqual([expect.stringMatching(/^x\.json:7: plan\.suites: /)]);
    const extra = parseLabFile(lab.replace('"jetpack": "6.2",', '"jetpack": "6.2", "repeat": 6,'), 'x.json');
    expect(extra.ok ? [] : extra.errors).toEqual([expect.stringMatching(/^x\.json:1: \(the file\): Unrecognized key: "repeat"/)]);
  });

  it('gives the line of a JSON syntax error, and refuses a file that is not a page of JSON', () => {
    const result = parseLabFile(lab.replace('"repeats": 6,', '"repeats": 6,,'), 'x.json');
    expect(result.ok ? [] : result.errors).toEqual([expect.stringMatching(/^x\.json:10: not valid JSON/)]);
    const huge = parseLabFile(`{"title": "${'x'.repeat(70_000)}"}`, 'x.json');
    expect(huge.ok ? [] : huge.errors).toEqual(['x.json: the file is over 64 KiB; a lab file is a page of JSON.']);
  });

  it('has a built-in default lab: the installed frameworks on MNIST training, 6 repeats', () => {
    expect(defaultLab.plan).toMatchObject({ suites: ['mnist-train'], frameworks: 'installed', repeats: 6 });
  });

  it('turns "installed" into the frameworks the board has that the agent can run, or null when none', () => {
    const board = { kind: 'simulated' as const, id: 'sim-1' };
    expect(labPlanFor(defaultLab, board, ['opencv', 'torch', 'numpy'])).toMatchObject({
      boards: [board],
      frameworks: ['numpy', 'torch'],
      suites: ['mnist-train'],
      repeats: 6,
      epochs: 1,
      title: 'MNIST training energy lab',
    });
    expect(labPlanFor(defaultLab, board, ['opencv'])).toBeNull();
  });

  it('knows a module’s family from its device-tree model', () => {
    expect(moduleFamilyOf('NVIDIA Jetson Orin Nano Engineering Reference Developer Kit Super')).toBe('orin-nano');
    expect(moduleFamilyOf('NVIDIA Jetson AGX Orin Developer Kit')).toBe('agx-orin');
    expect(moduleFamilyOf('NVIDIA Jetson Nano Developer Kit')).toBe('jetson-nano');
    expect(moduleFamilyOf('NVIDIA H200')).toBeNull();
  });
});
