// After a refused submission, bring the first failing field (in page order)
// into view — centred, so it is never under the fixed app bar — and put the cursor in it.
export function showFirstError(keys) {
  const failing = new Set(keys);
  let box = [...document.querySelectorAll('[data-field]')].find(e => failing.has(e.getAttribute('data-field')));
  // A form field taken from the applicant block (an agent's filing) is corrected in the block.
  const block = box?.querySelector('[data-from-block]')?.getAttribute('data-from-block');
  box = (block && document.querySelector(`[data-field="${block}"]`)) || box;
  if (!box) {
    return false;
  }

  box.scrollIntoView({ block: 'center' });
  const input = box.querySelector('input:not([type=hidden]), textarea, [tabindex="0"]') ?? box;
  input.focus({ preventScroll: true });
  return true;
}

// What is typed on the form, kept in this tab's sessionStorage so a reload (a connection that could not be resumed) gives it
// back (decision 0037). The tab's storage is gone when the tab closes; the page removes its copy on submission and the
// sign-out form removes every copy (ApprovalSystem.Web.lib.module.js). Storage may be refused (private mode, full): then
// nothing is kept and the page says nothing was.
const prefix = 'apply-form:';

export function keep(key, json) {
  try {
    sessionStorage.setItem(prefix + key, json);
    return true;
  } catch {
    return false;
  }
}

export function restore(key) {
  try {
    return sessionStorage.getItem(prefix + key);
  } catch {
    return null;
  }
}

export function forget(key) {
  try {
    sessionStorage.removeItem(prefix + key);
  } catch {
    // nothing was kept
  }
}
