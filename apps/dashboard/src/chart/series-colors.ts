// Colours a person can tell apart (Okabe-Ito-like), in a fixed order.
const PALETTE = ['#0072B2', '#E69F00', '#009E73', '#CC79A7', '#56B4E9', '#D55E00', '#7F7F7F', '#F0E442'];
// Well-known providers keep their colour whatever else is in the range.
const KNOWN: Record<string, string> = { openai: '#009E73', anthropic: '#D55E00', demo: '#CC79A7' };

/** A colour per series name: known providers fixed, the others by their place in `names`. */
export function seriesColors(names: string[]): Map<string, string> {
  const colors = new Map<string, string>();
  const free = PALETTE.filter((c) => !names.some((n) => KNOWN[n] === c));
  let next = 0;
  for (const name of names) {
    const known = KNOWN[name];
    colors.set(name, known ?? free[next++ % free.length] ?? '#7F7F7F');
  }
  return colors;
}
