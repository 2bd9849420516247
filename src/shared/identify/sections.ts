/**
 * The identification script prints each probe after a marker line
 * `@@jwb:<name>`, so one round trip carries every answer and a probe that
 * prints nothing (missing file, missing tool) leaves its section empty
 * instead of shifting the others.
 */
export const sectionMarker = '@@jwb:';

export function splitSections(text: string): Map<string, string> {
  const sections = new Map<string, string>();
  let name: string | undefined;
  let lines: string[] = [];
  const close = (): void => {
    if (name !== undefined) sections.set(name, lines.join('\n').replace(/\n+$/, ''));
  };
  for (const line of text.replace(/\r\n/g, '\n').split('\n')) {
    if (line.startsWith(sectionMarker)) {
      close();
      name = line.slice(sectionMarker.length).trim();
      lines = [];
    } else if (name !== undefined) lines.push(line);
  }
  close();
  return sections;
}
