/**
 * Puts back what a person typed before the page's script started (static/early-typing.js recorded it): hydration
 * resets each field to the value the page was rendered with. A field whose value now differs gets the typed one and an
 * `input` event, so bound state and autosave see it. Then marks the page as started (`<html data-started>`).
 */
type Typed = { value?: string; checked?: boolean };
type EarlyTyping = { typed: Map<Element, Typed>; stop: () => void };

export function restoreEarlyTyping(): void {
  const early = (window as unknown as { __earlyTyping?: EarlyTyping }).__earlyTyping;
  if (early) {
    early.stop();
    for (const [field, was] of early.typed) {
      if (!field.isConnected) continue;
      const input = field as HTMLInputElement;
      if (was.checked !== undefined && input.checked !== was.checked) input.checked = was.checked;
      else if (was.value !== undefined && input.value !== was.value) input.value = was.value;
      else continue;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.dispatchEvent(new Event('change', { bubbles: true }));
    }
    early.typed.clear();
  }
  document.documentElement.dataset.started = '';
}
