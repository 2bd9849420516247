/**
 * One live Chart.js chart, set up as Chart.js's performance page says for
 * streaming data (https://www.chartjs.org/docs/latest/general/performance.html):
 * no animation, no parsing (the points are already `{ x, y }`), normalized
 * (sorted) data, no point dots, straight lines, min-max decimation so spikes
 * survive, and one `update('none')` per animation frame however many batches
 * arrived. The x-axis is linear, in seconds, and slides: `x.min = now - window`.
 * Gaps are drawn as gaps (`spanGaps: false`).
 */
import {
  Chart,
  Decimation,
  LinearScale,
  LineController,
  LineElement,
  PointElement,
  Tooltip,
  type ChartConfiguration,
  type ChartDataset,
  type Plugin,
  type TooltipItem,
} from 'chart.js';
import { cancelDraw, scheduleDraw } from './frame-scheduler.ts';
import { SeriesStore, type ChartPoint } from './series-store.ts';

Chart.register(LineController, LineElement, PointElement, LinearScale, Tooltip, Decimation);

export interface SeriesSpec {
  key: string;
  label: string;
  /** Index into the palette. */
  color: number;
  /** Thicker line (the total). */
  strong?: boolean;
  /** Dashed line (temperatures, beside the loads in the same colours). */
  dashed?: boolean;
}

export interface ChartColors {
  text: string;
  muted: string;
  grid: string;
  background: string;
  marker: string;
  series: readonly string[];
}

export interface LiveChartOptions {
  unit: string;
  /** Values are multiplied by this on the way in (mW → W: 0.001). */
  scale: number;
  maxGapS: number;
  /** Most points kept per series. */
  capacity: number;
  windowS: number;
  colors: ChartColors;
  /** Fixed y range, e.g. 0–100 for loads; otherwise from 0 with hysteresis. */
  yMax?: number;
  formatTime?: (epochS: number) => string;
}

export interface ChartMarker {
  t: number;
  label: string;
}

/** Kept this much longer than the longest window, for scrolling back while paused. */
const historyS = 30 * 60;

export class LiveChart {
  readonly store: SeriesStore;
  readonly markers: ChartMarker[] = [];
  readonly #chart: Chart<'line', ChartPoint[]> | undefined;
  readonly #options: LiveChartOptions;
  readonly #specs = new Map<string, SeriesSpec>();
  readonly #hidden = new Set<string>();
  #windowS: number;
  /** While paused: the newest x when the pause began; the window stays there. */
  #pausedAt: number | undefined;
  #offsetS = 0;
  readonly #drawSoon = () => this.#draw();
  #yMax = 1;
  #big = false;
  /** Off screen (scrolled away), the chart keeps its data but skips drawing until it shows again. */
  #onScreen = true;
  /** Frames drawn, for tests and the benchmark. */
  draws = 0;

  /** `canvas` may be absent (a test DOM without a 2D context): the data side still works. */
  constructor(canvas: HTMLCanvasElement | undefined, options: LiveChartOptions) {
    this.#options = options;
    this.#windowS = options.windowS;
    this.store = new SeriesStore(options.maxGapS, options.capacity);
    const context = canvas?.getContext('2d') ?? null;
    if (canvas !== undefined && context !== null) this.#chart = new Chart<'line', ChartPoint[]>(context, this.#config());
  }

  /** Declares a series (its legend entry and colour); its points come with `append`. */
  define(spec: SeriesSpec): void {
    if (this.#specs.has(spec.key)) return;
    this.#specs.set(spec.key, spec);
    const points = this.store.points(spec.key);
    this.#chart?.data.datasets.push(this.#dataset(spec, points));
  }

  get specs(): SeriesSpec[] {
    return [...this.#specs.values()];
  }

  append(t: readonly number[], columns: Readonly<Record<string, readonly (number | null)[] | undefined>>): void {
    this.store.append(t, columns, this.#options.scale);
    this.#schedule();
  }

  mark(marker: ChartMarker): void {
    this.markers.push(marker);
    this.#schedule();
  }

  setWindow(seconds: number): void {
    this.#windowS = seconds;
    this.#schedule();
  }

  /** Paused, the window stops following the newest sample (data still comes in); `offsetS` scrolls back. */
  setPaused(paused: boolean, offsetS = 0): void {
    this.#pausedAt = paused ? (this.#pausedAt ?? this.store.lastX) : undefined;
    this.#offsetS = paused ? offsetS : 0;
    this.#schedule();
  }

  setVisible(key: string, visible: boolean): void {
    if (visible) this.#hidden.delete(key);
    else this.#hidden.add(key);
    const index = [...this.#specs.keys()].indexOf(key);
    this.#chart?.setDatasetVisibility(index, visible);
    this.#schedule();
  }

  setOnScreen(onScreen: boolean): void {
    this.#onScreen = onScreen;
    if (onScreen) this.#schedule();
  }

  isVisible(key: string): boolean {
    return !this.#hidden.has(key);
  }

  setColors(colors: ChartColors): void {
    this.#options.colors = colors;
    if (this.#chart === undefined) return;
    this.#chart.options = this.#config().options ?? {};
    for (const [index, spec] of [...this.#specs.values()].entries()) {
      const dataset = this.#chart.data.datasets[index];
      if (dataset !== undefined) Object.assign(dataset, this.#style(spec));
    }
    this.#schedule();
  }

  /** Big-screen mode: thicker lines and larger type. */
  setBig(big: boolean): void {
    this.#big = big;
    this.setColors(this.#options.colors);
  }

  /** The visible x range in epoch seconds, or undefined before the first sample. */
  range(): { from: number; to: number } | undefined {
    const { origin, lastX } = this.store;
    if (origin === undefined || lastX === undefined) return undefined;
    const to = (this.#pausedAt ?? lastX) - this.#offsetS;
    return { from: origin + to - this.#windowS, to: origin + to };
  }

  /** The chart as a PNG, drawn on its theme background; null without a canvas. */
  png(): Promise<Blob | null> {
    const canvas = this.#chart?.canvas;
    if (canvas === undefined) return Promise.resolve(null);
    return new Promise((resolve) => canvas.toBlob(resolve, 'image/png'));
  }

  destroy(): void {
    cancelDraw(this.#drawSoon);
    this.#chart?.destroy();
  }

  /** Runs the pending redraw now (tests; the frame loop otherwise). */
  flush(): void {
    cancelDraw(this.#drawSoon);
    this.#draw();
  }

  /** At most one redraw per animation frame, however many batches arrived (frame-scheduler.ts). */
  #schedule(): void {
    scheduleDraw(this.#drawSoon);
  }

  #draw(): void {
    const { lastX } = this.store;
    if (lastX === undefined) return;
    this.store.trim(lastX - historyS);
    const max = (this.#pausedAt ?? lastX) - this.#offsetS;
    const min = max - this.#windowS;
    if (!this.#onScreen) return;
    this.draws += 1;
    const chart = this.#chart;
    if (chart === undefined) return;
    const x = chart.options.scales?.x;
    const y = chart.options.scales?.y;
    if (x !== undefined) Object.assign(x, { min, max });
    if (y !== undefined && this.#options.yMax === undefined) Object.assign(y, { max: this.#hysteresis(min, max) });
    chart.update('none');
  }

  /** The y top only grows, or shrinks when the data fell below half of it: no jumping axis. */
  #hysteresis(min: number, max: number): number {
    let highest = 0;
    for (const [key, points] of this.store.series) {
      if (this.#hidden.has(key)) continue;
      for (let index = points.length - 1; index >= 0; index -= 1) {
        const point = points[index] as ChartPoint;
        if (point.x < min) break;
        if (point.x <= max && point.y !== null && point.y > highest) highest = point.y;
      }
    }
    if (highest > this.#yMax || highest < this.#yMax * 0.4) this.#yMax = niceCeiling(highest * 1.15);
    return this.#yMax;
  }

  #dataset(spec: SeriesSpec, points: ChartPoint[]): ChartDataset<'line', ChartPoint[]> {
    return { label: spec.label, data: points, ...this.#style(spec), hidden: this.#hidden.has(spec.key) };
  }

  #style(spec: SeriesSpec): Partial<ChartDataset<'line', ChartPoint[]>> {
    const colors = this.#options.colors;
    const color = colors.series[spec.color % colors.series.length] ?? colors.text;
    const width = (spec.strong === true ? 2.5 : 1.5) * (this.#big ? 1.8 : 1);
    const borderDash = spec.dashed === true ? [6, 4] : [];
    return { borderColor: color, backgroundColor: color, borderWidth: width, borderDash, pointRadius: 0, tension: 0, spanGaps: false };
  }

  #config(): ChartConfiguration<'line', ChartPoint[]> {
    const { colors, unit, yMax } = this.#options;
    const font = { size: this.#big ? 20 : 12 };
    const formatTime = this.#options.formatTime ?? defaultTime;
    const origin = () => this.store.origin ?? 0;
    return {
      type: 'line',
      data: { datasets: [] as ChartDataset<'line', ChartPoint[]>[] },
      plugins: [
        markerPlugin(
          this.markers,
          origin,
          () => this.#options.colors,
          () => (this.#big ? 20 : 12),
        ),
      ],
      options: {
        animation: false as const,
        parsing: false as const,
        normalized: true,
        responsive: true,
        maintainAspectRatio: false,
        spanGaps: false,
        interaction: { mode: 'nearest' as const, axis: 'x' as const, intersect: false },
        elements: { point: { radius: 0, hoverRadius: 4 }, line: { tension: 0 } },
        plugins: {
          decimation: { enabled: true, algorithm: 'min-max' as const },
          legend: { display: false },
          tooltip: {
            animation: false as const,
            titleFont: font,
            bodyFont: font,
            callbacks: {
              title: (items: TooltipItem<'line'>[]) => formatTime(origin() + (items[0]?.parsed.x ?? 0)),
              label: (item: TooltipItem<'line'>) => `${item.dataset.label ?? ''}: ${formatValue(item.parsed.y)} ${unit}`,
            },
          },
        },
        scales: {
          x: {
            type: 'linear' as const,
            grid: { color: colors.grid },
            border: { color: colors.grid },
            ticks: {
              color: colors.muted,
              font,
              minRotation: 0,
              maxRotation: 0,
              sampleSize: 4,
              // Before the first sample there is no time to show.
              callback: (value: string | number) => (this.store.origin === undefined ? '' : formatTime(origin() + Number(value))),
            },
          },
          y: {
            type: 'linear' as const,
            min: 0,
            max: yMax ?? this.#yMax,
            grid: { color: colors.grid },
            border: { color: colors.grid },
            ticks: { color: colors.muted, font, sampleSize: 4 },
            title: { display: true, text: unit, color: colors.muted, font },
          },
        },
      },
    };
  }
}

function markerPlugin(
  markers: readonly ChartMarker[],
  origin: () => number,
  colorsOf: () => ChartColors,
  fontSizeOf: () => number,
): Plugin<'line'> {
  return {
    id: 'jwbMarkers',
    // The theme's background under everything, so an exported PNG is not transparent.
    beforeDraw(chart) {
      const { ctx, width, height } = chart;
      ctx.save();
      ctx.fillStyle = colorsOf().background;
      ctx.fillRect(0, 0, width, height);
      ctx.restore();
    },
    afterDatasetsDraw(chart) {
      const { ctx, chartArea, scales } = chart;
      const x = scales.x;
      if (x === undefined || markers.length === 0) return;
      const colors = colorsOf();
      const fontSize = fontSizeOf();
      ctx.save();
      ctx.strokeStyle = colors.marker;
      ctx.fillStyle = colors.marker;
      ctx.lineWidth = 1.5;
      ctx.setLineDash([5, 4]);
      ctx.font = `${fontSize}px system-ui, sans-serif`;
      for (const marker of markers) {
        const value = marker.t - origin();
        if (value < x.min || value > x.max) continue;
        const pixel = x.getPixelForValue(value);
        ctx.beginPath();
        ctx.moveTo(pixel, chartArea.top);
        ctx.lineTo(pixel, chartArea.bottom);
        ctx.stroke();
        ctx.fillText(marker.label, pixel + 4, chartArea.top + fontSize);
      }
      ctx.restore();
    },
  };
}

function niceCeiling(value: number): number {
  if (!(value > 0)) return 1;
  const power = 10 ** Math.floor(Math.log10(value));
  const step = [1, 2, 2.5, 5, 10].find((candidate) => candidate * power >= value) ?? 10;
  return step * power;
}

function formatValue(value: number | null): string {
  if (value === null) return '—';
  return Math.abs(value) >= 100 ? value.toFixed(0) : value.toFixed(2);
}

// One formatter for every tick of every chart: `toLocaleTimeString` builds a new one per call,
// which is most of a redraw's cost with 16 charts of 6 ticks at 10 Hz.
const timeFormat = new Intl.DateTimeFormat(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });

function defaultTime(epochS: number): string {
  return timeFormat.format(epochS * 1000);
}
