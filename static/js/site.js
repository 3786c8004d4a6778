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
            slides.forEach((slide, i) => slide.setAttribute("aria-hidden", i === index ? "false" : "true"));
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
    }

    document.querySelectorAll("[data-gallery]").forEach(initGallery);
})();
