/**
 * The Benchmarks view's comparison bar chart (Chart.js, tree-shaken like
 * live-chart.ts): horizontal bars of the median per condition, coloured by
 * the compare-by dimension, and a small plugin of our own that draws each
 * bar's 95 % CI as a whisker, or says "no CI" beside a bar whose repeats are
 * too few for one (the report does the same in SVG: src/main/bench/report-svg.ts).
 * Loaded with the first chart (dynamic import), so the rest of the app stays light.
 */
import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  LinearScale,
  Tooltip,
  type ChartConfiguration,
  type Plugin,
  type TooltipItem,
} from 'chart.js';
import type { CompareBar, CompareChart } from '../lib/bench-compare.ts';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip);

export interface CompareChartColors {
  text: string;
  muted: string;
  grid: string;
  background: string;
  series: readonly string[];
  /** The interface's font family, so the chart's text matches the page's. */
  fontFamily: string;
}

export interface CompareChartSpec {
  chart: CompareChart;
  axisTitle: string;
  colors: CompareChartColors;
  /** "no CI (n = 3 < 6)" for a bar without an interval. */
  noCi(bar: CompareBar): string;
  /** One tooltip line: the series, the median with its unit, the CI or its absence. */
  describe(series: string, bar: CompareBar): string;
  /** false under prefers-reduced-motion. */
  animate: boolean;
  /** Number format of the axis ticks (the interface's language). */
  locale: string;
}

type BarChart = Chart<'bar', (number | null)[], string>;

/** Whiskers for the CI of each bar, or the reason there is none, drawn over the bars. */
function whiskers(specOf: () => CompareChartSpec): Plugin<'bar'> {
  return {
    id: 'jwbWhiskers',
    afterDatasetsDraw(chart) {
      const spec = specOf();
      const { ctx, scales } = chart;
      const x = scales.x;
      if (x === undefined) return;
      ctx.save();
      ctx.strokeStyle = spec.colors.text;
      ctx.fillStyle = spec.colors.muted;
      ctx.lineWidth = 1.5;
      ctx.font = `11px ${spec.colors.fontFamily}`;
      ctx.textBaseline = 'middle';
      chart.data.datasets.forEach((_, datasetIndex) => {
        if (!chart.isDatasetVisible(datasetIndex)) return;
        chart.getDatasetMeta(datasetIndex).data.forEach((element, index) => {
          const bar = spec.chart.series[datasetIndex]?.bars[index];
          if (bar === null || bar === undefined) return;
          const { x: end, y, height } = element.getProps(['x', 'y', 'height'], true) as { x: number; y: number; height: number };
          if (bar.low === null || bar.high === null) {
            // On the surface's colour, so grid lines do not cross the words.
            const text = spec.noCi(bar);
            ctx.fillStyle = spec.colors.background;
            ctx.fillRect(end + 2, y - 7, ctx.measureText(text).width + 4, 14);
            ctx.fillStyle = spec.colors.muted;
            ctx.fillText(text, end + 4, y);
            return;
          }
          const low = x.getPixelForValue(bar.low);
          const high = x.getPixelForValue(bar.high);
          const cap = Math.min(8, height / 2);
          ctx.beginPath();
          ctx.moveTo(low, y);
          ctx.lineTo(high, y);
          for (const at of [low, high]) {
            ctx.moveTo(at, y - cap / 2);
            ctx.lineTo(at, y + cap / 2);
          }
          ctx.stroke();
        });
      });
      ctx.restore();
    },
  };
}

function highest(chart: CompareChart): number {
  const values = chart.series.flatMap((series) => series.bars.flatMap((bar) => (bar === null ? [] : [bar.median, bar.high ?? 0])));
  return Math.max(0, ...values);
}

function dataOf(spec: CompareChartSpec): BarChart['data'] {
  const { chart, colors } = spec;
  return {
    labels: chart.categories,
    datasets: chart.series.map((series) => ({
      label: series.label,
      data: series.bars.map((bar) => bar?.median ?? null),
      backgroundColor: colors.series[series.colour % colors.series.length] ?? colors.text,
      borderRadius: 3,
      maxBarThickness: 26,
      categoryPercentage: 0.8,
      barPercentage: 0.9,
    })),
  };
}

/** Room on the right for the longest "no CI" note (French is longer than English). */
function noteRoom(spec: CompareChartSpec, context: CanvasRenderingContext2D): number {
  context.save();
  context.font = `11px ${spec.colors.fontFamily}`;
  const widths = spec.chart.series.flatMap((series) =>
    series.bars.flatMap((bar) => (bar === null || bar.low !== null ? [] : [context.measureText(spec.noCi(bar)).width])),
  );
  context.restore();
  return widths.length === 0 ? 12 : Math.ceil(Math.max(...widths)) + 12;
}

function optionsOf(
  spec: CompareChartSpec,
  specOf: () => CompareChartSpec,
  context: CanvasRenderingContext2D,
): NonNullable<ChartConfiguration<'bar'>['options']> {
  const { colors } = spec;
  const font = { family: colors.fontFamily, size: 12 };
  return {
    locale: spec.locale,
    indexAxis: 'y',
    responsive: true,
    maintainAspectRatio: false,
    animation: spec.animate ? { duration: 250 } : false,
    // Room on the right for the whiskers and the "no CI" notes.
    layout: { padding: { right: noteRoom(spec, context) } },
    plugins: {
      tooltip: {
        titleFont: font,
        bodyFont: font,
        callbacks: {
          label: (item: TooltipItem<'bar'>) => {
            const series = specOf().chart.series[item.datasetIndex];
            const bar = series?.bars[item.dataIndex];
            return series === undefined || bar === null || bar === undefined ? '' : specOf().describe(series.label, bar);
          },
        },
      },
    },
    scales: {
      x: {
        beginAtZero: true,
        suggestedMax: highest(spec.chart) * 1.05,
        grid: { color: colors.grid },
        border: { color: colors.grid },
        ticks: { color: colors.muted, font },
        title: { display: true, text: spec.axisTitle, color: colors.muted, font },
      },
      y: {
        grid: { display: false },
        border: { color: colors.grid },
        ticks: { color: colors.text, font },
      },
    },
  };
}

export class CompareBarChart {
  #spec: CompareChartSpec;
  readonly #chart: BarChart | undefined;
  readonly #context: CanvasRenderingContext2D | null;

  /** A canvas without a 2D context (a test DOM) gets no chart; the figure's table still holds the values. */
  constructor(canvas: HTMLCanvasElement, spec: CompareChartSpec) {
    this.#spec = spec;
    const context = canvas.getContext('2d');
    this.#context = context;
    if (context === null) return;
    const specOf = () => this.#spec;
    this.#chart = new Chart<'bar', (number | null)[], string>(context, {
      type: 'bar',
      data: dataOf(spec),
      options: optionsOf(spec, specOf, context),
      plugins: [whiskers(specOf)],
    });
  }

  get drawn(): boolean {
    return this.#chart !== undefined;
  }

  update(spec: CompareChartSpec): void {
    this.#spec = spec;
    const chart = this.#chart;
    if (chart === undefined || this.#context === null) return;
    chart.data = dataOf(spec);
    chart.options = optionsOf(spec, () => this.#spec, this.#context);
    chart.update(spec.animate ? undefined : 'none');
  }

  destroy(): void {
    this.#chart?.destroy();
  }
}
