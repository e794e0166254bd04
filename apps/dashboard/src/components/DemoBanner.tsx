import type { ProviderReliability } from '../api/admin-types';

/** Says loudly when the demo provider is answering: its costs are made up. */
export function DemoBanner({ providers }: { providers: ProviderReliability[] }) {
  const demo = providers.filter((p) => p.demo && p.configured);
  if (!demo.length) return null;
  const only = providers.every((p) => !p.configured || p.demo);
  return (
    <div className="notice notice-demo" role="status" data-testid="demo-banner">
      <strong>Demo provider on.</strong> {demo.map((p) => `${p.provider}/*`).join(', ')} models answer locally
      with canned text at demo prices
      {only
        ? '. No real provider is configured: set OPENAI_API_KEY, ANTHROPIC_API_KEY or another provider key for real models.'
        : ' (AI_DEMO_PROVIDER=true).'}
    </div>
  );
}
