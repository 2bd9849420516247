/**
 * Inline SVG charts for the benchmark report: drawn here as markup, so the
 * report needs no script, no font and no network (a strict CSP allows it).
 */
export function escapeHtml(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('>', '&gt;').replaceAll('"', '&quot;').replaceAll("'", '&#39;');
}

export function formatNumber(value: number | null | undefined, digits = 3): string {
  if (value === null || value === undefined || !Number.isFinite(value)) return '—';
  if (value !== 0 && Math.abs(value) < 10 ** -(digits - 1)) return value.toExponential(digits - 1);
  return Number(value.toPrecision(Math.max(digits, Math.ceil(Math.log10(Math.abs(value) + 1))))).toString();
}

/** Long condition names keep their distinctive tail (suite, framework, batch, mode). */
function shortLabel(text: string, max = 52): string {
  return text.length <= max ? text : `…${text.slice(text.length - max + 1)}`;
}

export interface Bar {
  label: string;
  value: number;
  /** Whisker: the CI when there is one, else the min–max range (said in the caption). */
  low: number;
  high: number;
  points: number[];
}

/** Horizontal bars with whiskers and every repeat as a dot. */
export function barChart(title: string, unit: string, bars: Bar[]): string {
  const rowHeight = 28;
  const labelWidth = 330;
  const plotWidth = 360;
  const height = 30 + bars.length * rowHeight + 24;
  const max = Math.max(...bars.flatMap((bar) => [bar.high, ...bar.points]), 0) * 1.08 || 1;
  const x = (value: number) => labelWidth + (value / max) * plotWidth;
  const rows = bars.map((bar, index) => {
    const y = 30 + index * rowHeight;
    const dots = bar.points.map((point) => `<circle cx="${x(point).toFixed(1)}" cy="${y + 10}" r="2.5" class="dot"/>`).join('');
    return [
      `<text x="${labelWidth - 8}" y="${y + 14}" text-anchor="end" class="label"><title>${escapeHtml(bar.label)}</title>${escapeHtml(shortLabel(bar.label))}</text>`,
      `<rect x="${labelWidth}" y="${y + 3}" width="${Math.max(0, x(bar.value) - labelWidth).toFixed(1)}" height="14" class="bar"/>`,
      `<line x1="${x(bar.low).toFixed(1)}" x2="${x(bar.high).toFixed(1)}" y1="${y + 10}" y2="${y + 10}" class="whisker"/>`,
      `<line x1="${x(bar.low).toFixed(1)}" x2="${x(bar.low).toFixed(1)}" y1="${y + 5}" y2="${y + 15}" class="whisker"/>`,
      `<line x1="${x(bar.high).toFixed(1)}" x2="${x(bar.high).toFixed(1)}" y1="${y + 5}" y2="${y + 15}" class="whisker"/>`,
      dots,
      `<text x="${(x(bar.high) + 6).toFixed(1)}" y="${y + 14}" class="value">${escapeHtml(formatNumber(bar.value))}</text>`,
    ].join('');
  });
  const axisY = 30 + bars.length * rowHeight + 4;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${labelWidth + plotWidth + 80} ${height}" role="img" aria-label="${escapeHtml(title)}">`,
    `<text x="4" y="16" class="title">${escapeHtml(title)} (${escapeHtml(unit)})</text>`,
    ...rows,
    `<line x1="${labelWidth}" x2="${labelWidth + plotWidth}" y1="${axisY}" y2="${axisY}" class="axis"/>`,
    `<text x="${labelWidth}" y="${axisY + 14}" class="tick">0</text>`,
    `<text x="${labelWidth + plotWidth}" y="${axisY + 14}" text-anchor="end" class="tick">${escapeHtml(formatNumber(max))}</text>`,
    '</svg>',
  ].join('\n');
}

/** A power trace (W over seconds from `begin`) with the measured window shaded. */
export function powerChart(title: string, t: number[], mw: number[], end: number | null): string {
  const width = 700;
  const height = 180;
  const left = 48;
  const points = t.map((time, index) => [time, (mw[index] ?? Number.NaN) / 1000] as const).filter(([, w]) => Number.isFinite(w));
  if (points.length < 2) return `<p class="note">${escapeHtml(title)}: no power samples.</p>`;
  const t0 = points[0]![0];
  const t1 = points[points.length - 1]![0];
  const wMax = Math.max(...points.map(([, w]) => w)) * 1.1 || 1;
  const x = (time: number) => left + ((time - t0) / (t1 - t0 || 1)) * (width - left - 10);
  const y = (w: number) => height - 24 - (w / wMax) * (height - 44);
  const path = points.map(([time, w], index) => `${index === 0 ? 'M' : 'L'}${x(time).toFixed(1)},${y(w).toFixed(1)}`).join('');
  const shade =
    end === null
      ? ''
      : `<rect x="${x(Math.max(0, t0)).toFixed(1)}" y="20" width="${Math.max(0, x(Math.min(end, t1)) - x(Math.max(0, t0))).toFixed(1)}" height="${height - 44}" class="window"/>`;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeHtml(title)}">`,
    `<text x="4" y="14" class="title">${escapeHtml(shortLabel(title, 100))}</text>`,
    shade,
    `<path d="${path}" class="trace"/>`,
    `<line x1="${left}" x2="${width - 10}" y1="${height - 24}" y2="${height - 24}" class="axis"/>`,
    `<text x="${left - 4}" y="${y(wMax / 1.1) + 4}" text-anchor="end" class="tick">${formatNumber(wMax / 1.1)} W</text>`,
    `<text x="${left - 4}" y="${height - 24}" text-anchor="end" class="tick">0</text>`,
    `<text x="${left}" y="${height - 8}" class="tick">${formatNumber(t0)} s</text>`,
    `<text x="${width - 10}" y="${height - 8}" text-anchor="end" class="tick">${formatNumber(t1)} s (from begin)</text>`,
    '</svg>',
  ].join('\n');
}
