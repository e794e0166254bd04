/** A budget field: blank for none, else a USD amount as the API takes it (a decimal string). */
export function budgetInput(text: string): { value: string | null } | { error: string } {
  const trimmed = text.trim().replace(/^\$/, '');
  if (!trimmed) return { value: null };
  if (!/^\d{1,12}(\.\d{1,12})?$/.test(trimmed)) return { error: 'Budget: a USD amount such as 25 or 12.50.' };
  return { value: trimmed };
}

/** An rpm field: blank for none, else a positive whole number. */
export function rpmInput(text: string): { value: number | null } | { error: string } {
  const trimmed = text.trim();
  if (!trimmed) return { value: null };
  if (!/^\d{1,10}$/.test(trimmed) || Number(trimmed) < 1 || Number(trimmed) > 2_147_483_647)
    return { error: 'RPM limit: a whole number of requests per minute, 1 or more.' };
  return { value: Number(trimmed) };
}
