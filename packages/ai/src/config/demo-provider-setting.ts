/**
 * `AI_DEMO_PROVIDER`: `true` registers the demo provider beside any others, `false`
 * never registers it, and unset (`auto`) registers it only while no real provider is
 * configured, so a first run works offline and a configured gateway never answers
 * with canned text unless asked to.
 */
export type DemoProviderSetting = 'on' | 'off' | 'auto';

const ON = ['true', '1', 'yes'];
const OFF = ['false', '0', 'no'];

/** Reads `AI_DEMO_PROVIDER` (true/1/yes, false/0/no; anything else or unset: auto). */
export function demoProviderSetting(env: Record<string, string | undefined>): DemoProviderSetting {
  const value = env.AI_DEMO_PROVIDER?.trim().toLowerCase() ?? '';
  if (ON.includes(value)) return 'on';
  if (OFF.includes(value)) return 'off';
  return 'auto';
}
