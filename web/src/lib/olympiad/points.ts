/** "7", "7,5" or "7.5" → 7.5; NaN when it is not a number. */
export function parsePoints(value: FormDataEntryValue | null): number {
  const text = String(value ?? '')
    .trim()
    .replace(',', '.');
  return text === '' ? NaN : Number(text);
}
