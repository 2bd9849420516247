/**
 * A board's identification as labelled rows, in words: what `jwb info`
 * prints and what the benchmark report's Environment section shows, so the
 * two always agree. Pure.
 */
import type { BoardFacts } from './board-facts.ts';

export type FactRow = [label: string, value: string | null];

function withUnit(value: number | null, unit: string): string | null {
  return value === null ? null : `${value} ${unit}`;
}

export function factRows(facts: BoardFacts): FactRow[] {
  const mode = facts.powerMode;
  return [
    ['Kind', facts.simulated ? `${facts.kind} (simulated by Jetson Workbench)` : facts.kind],
    ['Module', facts.module],
    ['Serial number', facts.serialNumber],
    ['L4T', facts.l4t],
    ['JetPack', facts.jetpack],
    ['OS', facts.ubuntu],
    ['Kernel', facts.kernel],
    ['CPU', facts.cpuCores === null ? facts.arch : `${facts.cpuCores} cores${facts.arch === null ? '' : `, ${facts.arch}`}`],
    ['CUDA', facts.cuda],
    ['cuDNN', facts.cudnn],
    ['TensorRT', facts.tensorrt],
    ['OpenCV', facts.opencv],
    ['Python', facts.python],
    ['RAM', withUnit(facts.ramMb, 'MB')],
    ['Swap', withUnit(facts.swapMb, 'MB')],
    ['Disk free', withUnit(facts.diskFreeGb, 'GB')],
    [
      'Power mode',
      mode === null
        ? null
        : `${mode.current ?? '?'} (available: ${mode.available.map((item) => `${item.id} ${item.name}`).join(', ') || 'unknown'})`,
    ],
    [
      'Frameworks',
      facts.frameworks
        .map((item) => `${item.name} ${item.version}${item.cuda ? ' +CUDA' : ''}${item.simulated ? ' (simulated)' : ''}`)
        .join(', ') || 'none found',
    ],
    ['Addresses', facts.addresses.join(', ') || null],
    ['Internet', facts.internet],
  ];
}
