import type { ResolvedModel, RouteTarget } from '../registry/provider-registry.js';

/**
 * The order in which a request tries its targets: as listed for `failover`; for
 * `loadbalance`, a weighted draw without replacement (so the first pick follows the
 * weights and the rest remain as fallbacks). Fallback routes' targets follow.
 */
export function planAttempts(
  resolved: ResolvedModel,
  fallbacks: ResolvedModel[] = [],
  random: () => number = Math.random,
): RouteTarget[] {
  const own =
    resolved.route?.strategy === 'loadbalance' ? weightedOrder(resolved.targets, random) : resolved.targets;
  const rest = fallbacks.flatMap((f) =>
    f.route?.strategy === 'loadbalance' ? weightedOrder(f.targets, random) : f.targets,
  );
  return [...own, ...rest];
}

function weightedOrder(targets: RouteTarget[], random: () => number): RouteTarget[] {
  const left = [...targets];
  const order: RouteTarget[] = [];
  while (left.length) {
    const total = left.reduce((sum, t) => sum + t.weight, 0);
    // The target whose share of [0, total) the draw falls in.
    const draw = random() * total;
    let cumulative = 0;
    let index = left.findIndex((t) => {
      cumulative += t.weight;
      return draw < cumulative;
    });
    if (index < 0) index = left.length - 1;
    order.push(...left.splice(index, 1));
  }
  return order;
}
