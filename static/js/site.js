// Gallery carousel, progressive enhancement of a scroll-snapping strip (WAI-ARIA carousel pattern).
// Without JavaScript the strip scrolls and swipes natively; this adds previous/next buttons, the position
// ("3 / 6") and arrow keys. Never autoplays.
(() => {
    "use strict";

    function initGallery(gallery) {
        const track = gallery.querySelector("[data-gallery-track]");
        const controls = gallery.querySelector("[data-gallery-controls]");
        const prev = gallery.querySelector("[data-gallery-prev]");
        const next = gallery.querySelector("[data-gallery-next]");
        const current = gallery.querySelector("[data-gallery-current]");
        const slides = Array.from(track.children);
        if (slides.length < 2) return;

        let index = 0;
        const reduceMotion = window.matchMedia("(prefers-reduced-motion: reduce)");

        function update(newIndex) {
            index = newIndex;
            current.textContent = String(index + 1);
            prev.disabled = index === 0;
            next.disabled = index === slides.length - 1;
            // The other slides are out of sight: inert keeps them (and their links) out of the keyboard's and the
            // screen reader's way until they are shown.
            slides.forEach((slide, i) => {
                slide.inert = i !== index;
            });
        }

        function goTo(newIndex) {
            const target = Math.max(0, Math.min(slides.length - 1, newIndex));
            track.scrollTo({
                left: slides[target].offsetLeft - track.offsetLeft,
                behavior: reduceMotion.matches ? "auto" : "smooth",
            });
            update(target);
        }

        prev.addEventListener("click", () => goTo(index - 1));
        next.addEventListener("click", () => goTo(index + 1));
        track.addEventListener("keydown", (event) => {
            const moves = { ArrowLeft: index - 1, ArrowRight: index + 1, Home: 0, End: slides.length - 1 };
            if (event.key in moves) {
                event.preventDefault();
                goTo(moves[event.key]);
            }
        });

        // Swipes and native scrolling move the strip; follow them to keep the position right.
        const observer = new IntersectionObserver(
            (entries) => {
                for (const entry of entries) {
                    if (entry.isIntersecting && entry.intersectionRatio >= 0.6) {
                        update(slides.indexOf(entry.target));
                    }
                }
            },
            { root: track, threshold: [0.6] },
        );
        slides.forEach((slide) => observer.observe(slide));

        controls.hidden = false;
        update(0);
        initLightbox(gallery);
    }

    // Full-size view in a native <dialog>: Escape closes it, and focus goes back to the photo that opened it.
    function initLightbox(gallery) {
        const dialog = gallery.querySelector("[data-lightbox-dialog]");
        if (!dialog || typeof dialog.showModal !== "function") return;
        const image = document.createElement("img");
        image.className = "lightbox__image";
        const caption = dialog.querySelector("[data-lightbox-caption]");
        caption.before(image);
        let opener = null;
        gallery.querySelectorAll("[data-lightbox]").forEach((link) => {
            link.addEventListener("click", (event) => {
                event.preventDefault();
                opener = link;
                const thumbnail = link.querySelector("img");
                image.src = link.href;
                image.alt = thumbnail ? thumbnail.alt : "";
                const figcaption = link.closest("figure").querySelector("figcaption");
                caption.textContent = figcaption ? figcaption.textContent : "";
                caption.hidden = !figcaption;
                dialog.showModal();
            });
        });
        dialog.addEventListener("close", () => {
            if (opener) opener.focus();
        });
        // A click on the backdrop (outside the photo) closes too.
        dialog.addEventListener("click", (event) => {
            if (event.target === dialog) dialog.close();
        });
    }

    document.querySelectorAll("[data-gallery]").forEach(initGallery);
})();

// Search suggestions: as the visitor types, page titles from /<lang>/search/suggest/ in a listbox under the box
// (WAI-ARIA combobox). Without JavaScript the form simply submits.
(() => {
    "use strict";

    const form = document.querySelector("[data-search-form]");
    if (!form || !window.fetch) return;
    const input = form.querySelector("input[name=q]");
    const list = form.querySelector("[role=listbox]");
    let timer = null;
    let active = -1;
    let controller = null;

    function close() {
        list.hidden = true;
        list.replaceChildren();
        input.setAttribute("aria-expanded", "false");
        input.removeAttribute("aria-activedescendant");
        active = -1;
    }

    function options() {
        return Array.from(list.querySelectorAll("[role=option]"));
    }

    function highlight(index) {
        const items = options();
        if (!items.length) return;
        active = (index + items.length) % items.length;
        items.forEach((item, i) => item.setAttribute("aria-selected", i === active ? "true" : "false"));
        input.setAttribute("aria-activedescendant", items[active].id);
    }

    function render(results) {
        if (!results.length) return close();
        list.replaceChildren(
            ...results.map((result, i) => {
                const li = document.createElement("li");
                li.id = `search-suggestion-${i}`;
                li.setAttribute("role", "option");
                li.setAttribute("aria-selected", "false");
                const link = document.createElement("a");
                link.href = result.url;
                link.tabIndex = -1;
                link.textContent = result.title;
                const kind = document.createElement("span");
                kind.className = "search-suggestions__kind";
                kind.textContent = result.kind;
                link.append(" ", kind);
                li.append(link);
                return li;
            }),
        );
        list.hidden = false;
        input.setAttribute("aria-expanded", "true");
        active = -1;
    }

    input.addEventListener("input", () => {
        clearTimeout(timer);
        const query = input.value.trim();
        if (query.length < 2) return close();
        timer = setTimeout(async () => {
            if (controller) controller.abort();
            controller = new AbortController();
            try {
                const url = `${form.dataset.suggestUrl}?q=${encodeURIComponent(query)}`;
                const response = await fetch(url, { signal: controller.signal, headers: { Accept: "application/json" } });
                if (response.ok) render((await response.json()).results);
            } catch (error) {
                if (error.name !== "AbortError") close();
            }
        }, 150);
    });

    input.addEventListener("keydown", (event) => {
        if (list.hidden) return;
        if (event.key === "ArrowDown" || event.key === "ArrowUp") {
            event.preventDefault();
            highlight(active + (event.key === "ArrowDown" ? 1 : -1));
        } else if (event.key === "Enter" && active >= 0) {
            event.preventDefault();
            window.location.href = options()[active].querySelector("a").href;
        } else if (event.key === "Escape") {
            close();
        }
    });

    document.addEventListener("click", (event) => {
        if (!form.contains(event.target)) close();
    });
})();
