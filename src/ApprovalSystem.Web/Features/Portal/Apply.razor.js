// The filing page's one piece of script: after a refused submission, bring the first failing field (in page order)
// into view — centred, so it is never under the fixed app bar — and put the cursor in it.
export function showFirstError(keys) {
  const failing = new Set(keys);
  const box = [...document.querySelectorAll('[data-field]')].find(e => failing.has(e.getAttribute('data-field')));
  if (!box) {
    return false;
  }

  box.scrollIntoView({ block: 'center' });
  const input = box.querySelector('input:not([type=hidden]), textarea, [tabindex="0"]') ?? box;
  input.focus({ preventScroll: true });
  return true;
}
