/**
 * `nvpmodel -q` output: `NV Power Mode: <NAME>` then the numeric id on the next
 * line (jtop's `jtop/core/nvpmodel.py`, regex `NV Power Mode: (?P<name>\w+)`;
 * ../../../../shared/reference/jetson-facts.md §2.6). `--verbose` adds
 * `NVPM VERB:` lines around them, which are skipped.
 */
export interface PowerMode {
  name: string;
  /** null when the id line is missing (some releases print the name only). */
  id: number | null;
}

export function parseNvpmodelQuery(text: string): PowerMode | null {
  const lines = text.split('\n').map((line) => line.trim());
  const index = lines.findIndex((line) => line.startsWith('NV Power Mode:'));
  if (index < 0) return null;
  const name = (lines[index] ?? '').slice('NV Power Mode:'.length).trim();
  if (name === '') return null;
  const idLine = lines.slice(index + 1).find((line) => line !== '' && !line.startsWith('NVPM'));
  const id = idLine !== undefined && /^\d+$/.test(idLine) ? Number(idLine) : null;
  return { name, id };
}
