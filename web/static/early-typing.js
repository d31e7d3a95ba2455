// Loaded before the page's own script. On a slow phone a person may type into a form before that script has
// started; when it starts, Svelte sets every rendered `value` again and what was typed would be silently lost.
// This remembers each field typed into until then; lib/early-typing.ts puts the typing back once the page has started.
(function () {
  var typed = new Map();
  function remember(event) {
    var field = event.target;
    if (!(
      field instanceof HTMLInputElement ||
      field instanceof HTMLTextAreaElement ||
      field instanceof HTMLSelectElement
    ))
      return;
    if (field.type === 'file') return;
    typed.set(
      field,
      field.type === 'checkbox' || field.type === 'radio' ? { checked: field.checked } : { value: field.value },
    );
  }
  document.addEventListener('input', remember, true);
  document.addEventListener('change', remember, true);
  window.__earlyTyping = {
    typed: typed,
    stop: function () {
      document.removeEventListener('input', remember, true);
      document.removeEventListener('change', remember, true);
    },
  };
})();
