// 长辈版 (elderly mode, decision 0032): the switch, reading the page aloud, and reading a field's label when it gets focus.
// Plain script (the CSP allows scripts from this site only, no inline handlers): every handler is delegated from the
// document, so it keeps working on static pages, across enhanced navigation and on interactive pages re-rendered by Blazor.
(() => {
    'use strict';

    const cookie = 'elder-mode';
    const noVoice = '此浏览器没有中文朗读语音，无法朗读。请在手机或电脑的系统设置中安装中文（普通话）语音，或换用其他浏览器。';
    const root = document.documentElement;
    const isOn = () => root.classList.contains('elder');

    function setMode(on) {
        root.classList.toggle('elder', on);
        // Remembered for a year; read by the server too, so a static page arrives already in the mode (App.razor).
        const secure = location.protocol === 'https:' ? '; secure' : '';
        document.cookie = on
            ? `${cookie}=1; path=/; max-age=31536000; samesite=lax${secure}`
            : `${cookie}=; path=/; max-age=0; samesite=lax${secure}`;
        if (!on) {
            stop();
        }
    }

    function synth() {
        return 'speechSynthesis' in window && window.speechSynthesis && typeof window.speechSynthesis.speak === 'function'
            ? window.speechSynthesis : null;
    }

    function chineseVoice(voices) {
        const zh = voices.filter(v => /^zh/i.test(v.lang || ''));
        return zh.find(v => /^zh[-_]CN$/i.test(v.lang)) || zh.find(v => /hans|cmn/i.test(v.lang)) || zh[0] || null;
    }

    // Chromium loads its voices after the page: wait for them once, for a moment, before saying there is none.
    function voiceAsync() {
        const s = synth();
        if (!s || typeof s.getVoices !== 'function') {
            return Promise.resolve(null);
        }

        const now = chineseVoice(s.getVoices() || []);
        if (now || (s.getVoices() || []).length > 0) {
            return Promise.resolve(now);
        }

        return new Promise(resolve => {
            const done = () => resolve(chineseVoice(s.getVoices() || []));
            if (typeof s.addEventListener === 'function') {
                s.addEventListener('voiceschanged', done, { once: true });
            }
            setTimeout(done, 1200);
        });
    }

    function message(text) {
        const box = document.getElementById('elder-voice-message');
        if (box) {
            box.textContent = text || ''; // a live region (role=status): shown and read out while it has text
        }
    }

    // While the page is read, its button says 停止朗读 (a class on <html>, so Blazor's re-rendering cannot undo it).
    function speaking(on) {
        root.classList.toggle('elder-speaking', on);
    }

    function stop() {
        const s = synth();
        if (s && typeof s.cancel === 'function') {
            s.cancel();
        }

        speaking(false);
    }

    // Long texts are cut at the ends of sentences: some engines stop an utterance after about fifteen seconds.
    function pieces(text) {
        const sentences = text.replace(/[ \t\u00a0]+/g, ' ').split(/(?<=[。！？!?；;\n])/);
        const out = [];
        let current = '';
        for (const s of sentences) {
            const t = s.trim();
            if (!t) {
                continue;
            }

            if ((current + t).length > 180 && current) {
                out.push(current);
                current = '';
            }

            current += (current ? ' ' : '') + t;
        }

        if (current) {
            out.push(current);
        }

        return out;
    }

    async function speak(text, wholePage) {
        const s = synth();
        const voice = await voiceAsync();
        if (!s || !voice) {
            message(noVoice);
            return false;
        }

        message('');
        stop();
        const all = pieces(text);
        all.forEach((piece, i) => {
            const u = new SpeechSynthesisUtterance(piece);
            u.lang = 'zh-CN';
            u.rate = 0.9;
            try {
                u.voice = voice;
            } catch {
                // a voice from another window or a test's stand-in: the language alone picks one
            }

            if (wholePage && i === all.length - 1) {
                u.onend = u.onerror = () => speaking(false);
            }

            s.speak(u);
        });
        speaking(wholePage && all.length > 0);
        return true;
    }

    // The page's own text: the main region without the mode's bar and without what is hidden.
    function pageText() {
        const main = document.querySelector('main, [role=main], .mud-main-content') || document.body;
        const parts = [];
        for (const child of main.children) {
            if (!child.closest('[data-elder-skip]') && !child.matches('[data-elder-skip]')) {
                parts.push(child.innerText || '');
            }
        }

        return parts.join('\n').trim();
    }

    function fieldLabel(el) {
        if (!el.matches('input:not([type=hidden]), select, textarea, [role=combobox], [role=textbox]')) {
            return '';
        }

        const texts = [];
        if (el.labels && el.labels.length) {
            texts.push(...[...el.labels].map(l => l.innerText));
        }

        if (!texts.length && el.getAttribute('aria-labelledby')) {
            texts.push(...el.getAttribute('aria-labelledby').split(/\s+/)
                .map(id => document.getElementById(id)).filter(Boolean).map(e => e.innerText));
        }

        if (!texts.length && el.getAttribute('aria-label')) {
            texts.push(el.getAttribute('aria-label'));
        }

        if (!texts.length) {
            const label = el.closest('.mud-input-control, .mud-form-label, .mud-field')?.querySelector('label');
            if (label) {
                texts.push(label.innerText);
            }
        }

        if (!texts.length && el.placeholder) {
            texts.push(el.placeholder);
        }

        return texts.join(' ').replace(/\s+/g, ' ').replace(/\*$/, '').trim();
    }

    document.addEventListener('click', e => {
        const target = e.target instanceof Element ? e.target : null;
        if (target?.closest('[data-elder-toggle]')) {
            e.preventDefault();
            setMode(!isOn());
            message('');
        } else if (target?.closest('[data-elder-read]')) {
            e.preventDefault();
            if (root.classList.contains('elder-speaking')) {
                stop();
            } else {
                speak(pageText(), true);
            }
        }
    });

    // A field's label on focus, once the user has done something on the page: a field focused as the page opens (autofocus)
    // is not read out (browsers refuse to speak before the first tap or key anyway).
    document.addEventListener('focusin', e => {
        const acted = !navigator.userActivation || navigator.userActivation.hasBeenActive;
        if (isOn() && acted && e.target instanceof Element) {
            const label = fieldLabel(e.target);
            if (label) {
                speak(label);
            }
        }
    });

    // A cookie set in another tab, or a page restored from the back-forward cache: follow the remembered choice.
    window.addEventListener('pageshow', () => root.classList.toggle('elder', document.cookie.split('; ').includes(`${cookie}=1`)));
})();
