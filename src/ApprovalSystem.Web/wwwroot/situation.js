// The situation questions of the public guide (情形引导: a matter's and a 一件事's) are a plain GET form. A signed-in
// person gets the page prerendered and then drawn again when its live connection starts, from the answers in the address:
// a tick made in between (a quick tap on a phone) vanished, and the form was sent without it. The ticks made before the
// page is live are kept here and put back when the questions are drawn again; once the page is live they are let go, so a
// later 重新选择 (the same address, no answers) starts afresh. Plain script, delegated from the document, loaded before
// Blazor so that no tick comes too early for it.
(() => {
    'use strict';

    const picks = new Map(); // question name -> the option ticked before the page was live
    let picksAt = null; // the address they were ticked on

    function isLive() {
        return document.querySelector('#app-ready[data-interactive=true]') !== null;
    }

    function isQuestion(el) {
        return el instanceof HTMLInputElement && el.type === 'radio' && el.closest('form.situation-form') !== null;
    }

    document.addEventListener('change', event => {
        if (!isQuestion(event.target) || isLive()) {
            return;
        }

        if (picksAt !== location.href) {
            picks.clear();
            picksAt = location.href;
        }

        picks.set(event.target.name, event.target.value);
    }, true);

    function restore() {
        if (picks.size === 0 || picksAt !== location.href) {
            return;
        }

        const inputs = document.querySelectorAll('form.situation-form input[type=radio]');
        for (const input of inputs) {
            if (picks.get(input.name) === input.value && !input.checked) {
                input.checked = true;
            }
        }

        if (inputs.length > 0 && isLive()) {
            picks.clear(); // the questions drawn by the live page: from now on the ticks are the page's own
        }
    }

    new MutationObserver(restore).observe(document.body, { childList: true, subtree: true });
})();
