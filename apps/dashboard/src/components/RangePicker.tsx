import { type FormEvent, useState } from 'react';
import { formatUtc } from '../format/format-numbers';
import { customRange, presetRange, type RangePreset, type TimeRange } from '../range/time-range';

const PRESETS: { preset: Exclude<RangePreset, 'custom'>; label: string }[] = [
  { preset: '24h', label: '24 h' },
  { preset: '7d', label: '7 d' },
  { preset: '30d', label: '30 d' },
];

/** 24 h, 7 d, 30 d or custom whole UTC days; shows the exact range in force. */
export function RangePicker({ range, onChange }: { range: TimeRange; onChange: (range: TimeRange) => void }) {
  const [custom, setCustom] = useState(range.preset === 'custom');
  const [fromDate, setFromDate] = useState(range.from.slice(0, 10));
  const [toDate, setToDate] = useState(new Date(Date.parse(range.to) - 1).toISOString().slice(0, 10));
  const [error, setError] = useState<string>();

  function apply(event: FormEvent) {
    event.preventDefault();
    const next = customRange(fromDate, toDate);
    if (!next) {
      setError('Pick a start date on or before the end date.');
      return;
    }
    setError(undefined);
    onChange(next);
  }

  return (
    <div className="range">
      <fieldset className="segmented" aria-label="Time range">
        {PRESETS.map(({ preset, label }) => (
          <button
            key={preset}
            type="button"
            className={range.preset === preset && !custom ? 'active' : ''}
            aria-pressed={range.preset === preset && !custom}
            onClick={() => {
              setCustom(false);
              onChange(presetRange(preset));
            }}
          >
            {label}
          </button>
        ))}
        <button
          type="button"
          className={custom ? 'active' : ''}
          aria-pressed={custom}
          onClick={() => setCustom(true)}
        >
          Custom
        </button>
      </fieldset>
      {custom && (
        <form className="range-custom" onSubmit={apply}>
          <label>
            <span className="sr-only">From</span>
            <input
              type="date"
              value={fromDate}
              onChange={(e) => setFromDate(e.target.value)}
              data-testid="range-from"
            />
          </label>
          <span aria-hidden="true">–</span>
          <label>
            <span className="sr-only">To (included)</span>
            <input
              type="date"
              value={toDate}
              onChange={(e) => setToDate(e.target.value)}
              data-testid="range-to"
            />
          </label>
          <button type="submit" className="button button-small">
            Apply
          </button>
          {error && <span className="range-error">{error}</span>}
        </form>
      )}
      <p className="range-shown muted" data-testid="range" data-from={range.from} data-to={range.to}>
        {formatUtc(range.from)} → {formatUtc(range.to)}
      </p>
    </div>
  );
}
