/** A card metric as the panels show it: three decimals, '–' when absent or not a number. */
export function formatMetric(value: number | undefined | null): string {
  return value === undefined || value === null || !Number.isFinite(value) ? '–' : value.toFixed(3);
}
