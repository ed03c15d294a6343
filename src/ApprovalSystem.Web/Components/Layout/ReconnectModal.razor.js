// The reconnect display (decision 0034), after the .NET 10 template's: Blazor tells this dialog how its attempts go.
// When the attempts have failed, the page keeps trying whenever it is shown again and every 15 seconds; as soon as the
// server answers but no longer has this page's circuit, the page reloads.
const modal = document.getElementById("components-reconnect-modal");
modal.addEventListener("components-reconnect-state-changed", changed);
document.getElementById("components-reload-button").addEventListener("click", () => location.reload());
document.getElementById("components-resume-button").addEventListener("click", resume);

let timer = 0;

function changed(event) {
    const state = event.detail.state;
    if (state === "show" || state === "retrying") {
        if (!modal.open) {
            modal.showModal();
        }
    } else if (state === "hide") {
        stopRetrying();
        modal.close();
    } else if (state === "failed") {
        if (!modal.open) {
            modal.showModal();
        }

        document.addEventListener("visibilitychange", retryWhenVisible);
        timer = timer || setInterval(retry, 15000);
    } else if (state === "rejected") {
        location.reload();
    }
}

function stopRetrying() {
    document.removeEventListener("visibilitychange", retryWhenVisible);
    clearInterval(timer);
    timer = 0;
}

async function retry() {
    try {
        // true: connected again; false: the server answered but has dropped this circuit; an error: still unreachable.
        const connected = await Blazor.reconnect();
        if (!connected) {
            const resumed = await Blazor.resumeCircuit();
            if (resumed) {
                stopRetrying();
                modal.close();
            } else {
                location.reload();
            }
        } else {
            stopRetrying();
        }
    } catch {
        // still unreachable: the next interval or the next time the page is shown tries again
    }
}

async function resume() {
    try {
        if (!await Blazor.resumeCircuit()) {
            location.reload();
        }
    } catch {
        modal.classList.replace("components-reconnect-paused", "components-reconnect-resume-failed");
    }
}

async function retryWhenVisible() {
    if (document.visibilityState === "visible") {
        await retry();
    }
}
