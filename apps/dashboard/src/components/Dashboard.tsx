import { useState } from 'react';
import type { AdminClient } from '../api/admin-client';
import { TABS, type Tab, useHashTab } from '../hooks/use-hash-tab';
import { presetRange, type TimeRange } from '../range/time-range';
import { KeysView } from './KeysView';
import { LogsView } from './LogsView';
import { OverviewView } from './OverviewView';
import { RangePicker } from './RangePicker';
import { TeamsView } from './TeamsView';

const TAB_LABELS: Record<Tab, string> = { overview: 'Overview', logs: 'Logs', keys: 'Keys', teams: 'Teams' };

/** Views about a time range (the others show budgets' current periods): the picker shows on these. */
const RANGED: Tab[] = ['overview', 'logs'];

/** What a signed-in admin sees: the range and actions on top, then one view. */
export function Dashboard({ client, onSignOut }: { client: AdminClient; onSignOut: () => void }) {
  const [tab, setTab] = useHashTab();
  const [range, setRange] = useState<TimeRange>(() => presetRange('7d'));
  const [refresh, setRefresh] = useState(0);
  const [exporting, setExporting] = useState<string>();

  function reload() {
    // A preset range moves up to now; a custom one stays.
    if (range.preset !== 'custom') setRange(presetRange(range.preset));
    setRefresh((n) => n + 1);
  }

  async function exportCsv() {
    setExporting('Exporting…');
    try {
      // Made by the API (format=csv), so the file has the API's numbers, digit for digit.
      const { blob, fileName } = await client.download('/admin/usage/summary', {
        from: range.from,
        to: range.to,
        groupBy: 'day,user,provider,model',
        format: 'csv',
      });
      const url = URL.createObjectURL(blob);
      const link = document.createElement('a');
      link.href = url;
      link.download = fileName;
      link.click();
      setTimeout(() => URL.revokeObjectURL(url), 10_000);
      setExporting(undefined);
    } catch (error) {
      setExporting(`Export failed: ${(error as Error).message}`);
    }
  }

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">
          aigw <span className="muted">cost dashboard</span>
        </div>
        <nav className="tabs" aria-label="Views">
          {TABS.map((name) => (
            <a
              key={name}
              href={`#${name}`}
              className={tab === name ? 'tab active' : 'tab'}
              aria-current={tab === name ? 'page' : undefined}
              onClick={(e) => {
                e.preventDefault();
                setTab(name);
              }}
            >
              {TAB_LABELS[name]}
            </a>
          ))}
        </nav>
        <div className="topbar-actions">
          <button type="button" className="button" onClick={reload} data-testid="refresh">
            Refresh
          </button>
          <button type="button" className="button button-quiet" onClick={onSignOut} data-testid="sign-out">
            Sign out
          </button>
        </div>
      </header>
      {/* Keys and teams are not about a time range: no picker there. */}
      {RANGED.includes(tab) && (
        <div className="toolbar">
          <RangePicker range={range} onChange={setRange} />
          <button type="button" className="button" onClick={exportCsv} data-testid="export-csv">
            Export CSV
          </button>
          {exporting && <span className="muted">{exporting}</span>}
        </div>
      )}
      <main className="content">
        {tab === 'overview' && <OverviewView client={client} range={range} refresh={refresh} />}
        {tab === 'logs' && <LogsView client={client} range={range} refresh={refresh} />}
        {tab === 'keys' && <KeysView client={client} refresh={refresh} />}
        {tab === 'teams' && <TeamsView client={client} refresh={refresh} />}
      </main>
    </div>
  );
}
