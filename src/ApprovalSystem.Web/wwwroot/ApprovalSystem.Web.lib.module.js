// Blazor loads this JS initializer by its name ({assembly}.lib.module.js) on every page, static or interactive: no
// <script> tag in App.razor, and nothing inline (the content security policy allows scripts from this site only).

// The skip link (跳到主要内容) must move the keyboard's focus, not only the scroll position: Blazor's router answers a
// link to the same page's #fragment by scrolling, so the next Tab would still start in the header.
function skipToMain(event) {
    const link = event.target instanceof Element ? event.target.closest('a.skip-link') : null;
    const main = link ? document.getElementById('main-content') : null;
    if (main) {
        event.preventDefault();
        event.stopPropagation();
        main.focus();
        main.scrollIntoView();
    }
}

// Signing out removes the filing forms' copies of what was typed (Features/Portal/Apply.razor.js): a shared computer's
// next user finds none of the last one's personal data in the tab.
function forgetFormsOnSignOut(event) {
    const form = event.target instanceof HTMLFormElement ? event.target : null;
    if (!form || !/account\/logout$/.test(form.getAttribute('action') ?? '')) {
        return;
    }

    try {
        Object.keys(sessionStorage).filter(k => k.startsWith('apply-form:')).forEach(k => sessionStorage.removeItem(k));
    } catch {
        // storage refused: nothing was kept
    }
}

// An upload button (data-opens-file-picker, inside a MudFileUpload) opens its file input's picker in the click itself.
// Asking the server first (MudFileUpload's OpenFilePickerAsync) opened nothing when the answer came after the browser's
// few seconds of "user activation" had passed: on a slow phone connection or a busy server the button did nothing at all.
// Listened to while capturing, so no handler on the way (Blazor's stopPropagation on MudButton) can keep it from the click.
function openFilePicker(event) {
    const button = event.target instanceof Element ? event.target.closest('[data-opens-file-picker]') : null;
    const input = button && !button.disabled ? button.closest('.mud-file-upload')?.querySelector('input[type=file]') : null;
    if (!(input instanceof HTMLInputElement) || input.disabled) {
        return;
    }

    try {
        input.showPicker();
    } catch {
        input.click();
    }
}

export function afterWebStarted() {
    document.addEventListener('click', openFilePicker, true);
    document.addEventListener('click', skipToMain, true);
    document.addEventListener('submit', forgetFormsOnSignOut, true);
}
