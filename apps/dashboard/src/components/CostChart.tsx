import {
  BarController,
  BarElement,
  CategoryScale,
  Chart,
  type ChartDataset,
  Legend,
  LinearScale,
  Tooltip,
} from 'chart.js';
import { useEffect, useMemo, useRef } from 'react';
import type { UsageSummary } from '../api/admin-types';
import { seriesColors } from '../chart/series-colors';
import { usdText } from '../format/format-usd';
import { daysOf, type TimeRange } from '../range/time-range';

// Only what a stacked bar chart needs, so the bundle stays small.
Chart.register(BarController, BarElement, CategoryScale, LinearScale, Tooltip, Legend);

export type CostChartBy = 'provider' | 'model';

/**
 * Cost per UTC day, stacked by provider or model. Bar heights are the API's costs read
 * as numbers (a picture needs no more); tooltips show each exact cost and the day's total
 * as the API gave them (the summary by day), never a sum made here.
 */
export function CostChart({
  range,
  by,
  series,
  dayTotals,
}: {
  range: TimeRange;
  by: CostChartBy;
  series?: UsageSummary;
  dayTotals?: UsageSummary;
}) {
  const canvas = useRef<HTMLCanvasElement>(null);
  const chart = useRef<Chart<'bar', number[], string> | null>(null);
  // While an answer for another grouping is in flight, show nothing rather than mislabel;
  // while one for another range is, keep the last picture (marked as loading).
  const shown = series?.groupBy.includes(by) ? series : undefined;
  const ready = !!shown && shown.from === range.from && shown.to === range.to;

  const model = useMemo(() => {
    const days = daysOf(shown ?? range);
    const rows = shown?.rows ?? [];
    const names = [...new Set(rows.map((r) => r[by] ?? ''))].sort();
    const exact = new Map(rows.map((r) => [`${r.day}|${r[by]}`, r.costUsd]));
    const totals = new Map((dayTotals?.rows ?? []).map((r) => [r.day ?? '', r.costUsd]));
    const colors = seriesColors(names);
    const datasets: ChartDataset<'bar', number[]>[] = names.map((name) => ({
      label: name,
      data: days.map((day) => Number(exact.get(`${day}|${name}`) ?? 0)),
      backgroundColor: colors.get(name),
      borderWidth: 0,
      borderRadius: 2,
      maxBarThickness: 48,
    }));
    return { days, names, exact, totals, datasets };
  }, [range, shown, dayTotals, by]);

  // The tooltips read the latest data through this ref: Chart.js options are set once.
  const latest = useRef(model);
  latest.current = model;

  useEffect(() => {
    if (!canvas.current) return;
    const dayAt = (index: number | undefined) => latest.current.days[index ?? 0] ?? '';
    const instance = new Chart<'bar', number[], string>(canvas.current, {
      type: 'bar',
      data: { labels: [], datasets: [] },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        interaction: { mode: 'index', intersect: false },
        scales: {
          x: { stacked: true, grid: { display: false }, ticks: { maxRotation: 0, autoSkipPadding: 12 } },
          y: { stacked: true, beginAtZero: true, ticks: { callback: (value) => `$${value}` } },
        },
        plugins: {
          legend: { position: 'bottom', labels: { boxWidth: 12, boxHeight: 12 } },
          tooltip: {
            filter: (item) => (item.raw as number) > 0,
            callbacks: {
              title: (items) => `${dayAt(items[0]?.dataIndex)} (UTC)`,
              label: (item) => {
                const exact = latest.current.exact.get(`${dayAt(item.dataIndex)}|${item.dataset.label}`);
                return ` ${item.dataset.label}: ${usdText(exact ?? '0')}`;
              },
              footer: (items) => {
                const total = latest.current.totals.get(dayAt(items[0]?.dataIndex));
                return total ? `Day total: ${usdText(total)}` : '';
              },
            },
          },
        },
      },
    });
    chart.current = instance;
    return () => {
      instance.destroy();
      chart.current = null;
    };
  }, []);

  useEffect(() => {
    const instance = chart.current;
    if (!instance) return;
    instance.data.labels = model.days.map((d) => d.slice(5));
    instance.data.datasets = model.datasets;
    instance.update();
  }, [model]);

  return (
    <div
      className="chart"
      data-testid="cost-chart"
      data-state={ready ? 'ready' : 'loading'}
      data-by={by}
      data-series={JSON.stringify(model.names)}
      data-days={model.days.length}
    >
      <canvas
        ref={canvas}
        role="img"
        aria-label={`Cost per day by ${by}, ${model.days[0] ?? ''} to ${model.days.at(-1) ?? ''} (UTC)`}
      />
    </div>
  );
}
