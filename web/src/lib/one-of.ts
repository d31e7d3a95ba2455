/**
 * Whether a form or address value is one of the values the API declares, narrowing it to that union so the typed
 * client accepts it. A value outside the list (only from a hand-edited request) is refused on the page, as the API would.
 */
export const isOneOf = <T extends string>(values: readonly T[], value: string): value is T =>
  values.some((v) => v === value);

/** The API's own wording for such a refusal (server/src/http/errors.ts), naming the field. */
export const notOneOf = (label: string) => `Поле «${label}»: выберите одно из допустимых значений.`;
