import { describe, expect, it } from '@jest/globals';
import { MetricsService } from './metrics.service.js';

const call = (i: number) => ({
  provider: 'openai',
  model: 'gpt-4o-mini',
  requestType: 'chat',
  stream: false,
  durationSeconds: 0.2,
  ...(i % 10 === 0 ? { errorCode: 'rate_limited' } : {}),
});

/** The value of one series in the exposition text (0 when absent). */
function seriesValue(text: string, series: string): number {
  const line = text.split('\n').find((l) => l.startsWith(`${series} `));
  return line ? Number(line.slice(series.length + 1)) : 0;
}

describe('MetricsService', () => {
  it('counts every record, however many wait to be applied when it is scraped', async () => {
    const metrics = new MetricsService();
    // 1,000 of each: several full batches plus a remainder still queued at the scrape.
    for (let i = 0; i < 1000; i++) {
      metrics.recordProviderCall(call(i));
      metrics.recordHttpRequest('/v1/chat/completions', 'POST', 200, 0.003);
    }
    const text = await metrics.metrics();
    const labels = 'provider="openai",model="gpt-4o-mini",request_type="chat",stream="false"';
    expect(seriesValue(text, `aigw_provider_requests_total{${labels},outcome="success"}`)).toBe(900);
    expect(seriesValue(text, `aigw_provider_requests_total{${labels},outcome="error"}`)).toBe(100);
    expect(
      seriesValue(
        text,
        'aigw_provider_errors_total{provider="openai",model="gpt-4o-mini",code="rate_limited"}',
      ),
    ).toBe(100);
    expect(
      seriesValue(
        text,
        'aigw_provider_request_duration_seconds_count{provider="openai",model="gpt-4o-mini"}',
      ),
    ).toBe(1000);
    expect(
      seriesValue(text, 'aigw_http_requests_total{route="/v1/chat/completions",method="POST",status="200"}'),
    ).toBe(1000);
    expect(
      seriesValue(
        text,
        'aigw_http_request_duration_seconds_bucket{le="0.005",route="/v1/chat/completions",method="POST"}',
      ),
    ).toBe(1000);
  });

  it('applies queued records to a metric read on its own from the registry', async () => {
    const metrics = new MetricsService();
    metrics.recordHttpRequest('/v1/messages', 'POST', 429, 0.01);
    const text = await metrics.registry.getSingleMetricAsString('aigw_http_requests_total');
    expect(
      seriesValue(text, 'aigw_http_requests_total{route="/v1/messages",method="POST",status="429"}'),
    ).toBe(1);
  });
});
