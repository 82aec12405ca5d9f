"""Time to render every dashboard page in a real headless Chromium, on the demo store.

    python benchmarks/bench_pages.py [--rows 60000 --repeat 3 --store sqlite:///var/scorecard.db]
                                     [--app OTHER/app/main.py] [--json out.json]

Without --store, a fresh SQLite store in a temporary folder gets the demo monitor
(scorecard.scheduling.demo.build_demo: a card fitted on the synthetic book's first 3 months,
then 24 monthly periods with a drift event) and the demo fairness front, as `make run` does.
The dashboard is started with `scorecard dashboard` on 127.0.0.1 (sign-in off). Per page:

- cold: the first visit after the server started, by URL in a new browser context (nothing
  cached on the server; the browser loads Streamlit's scripts and opens its websocket);
- fresh: the median of --repeat later visits by URL, each in a new browser context (server
  caches warm, browser state new: includes the ~1 s a new tab costs before any script runs);
- tab: the median of --repeat visits by URL in a new tab of one browser context that has
  seen every page (the browser's cache holds Streamlit's scripts; a new session each time:
  a returning user opening a bookmark);
- in-app: the median of --repeat sidebar clicks to the page from the Overview within one
  browser context (how people move around the app; the usual page time of a single-page app);
- script: the server-side time of the page's script run during those clicks (the app appends
  it to $SCORECARD_PAGE_TIMES, app/timing.py), wall and process CPU seconds, and the seconds
  the browser's main thread spent in tasks during the click (Chrome's TaskDuration: drawing
  grids and charts); CPU and busy seconds are far less inflated by a loaded machine than wall
  seconds;
- what the page draws: data grids, charts, metric tiles, all elements.

A time runs from the navigation (or click) until the page's title is shown, the script run has
finished and nothing has been busy (running indicator, spinner, skeleton) for 0.5 s, that 0.5 s
not counted. Target (issue 12): every page under 2 s. The load average is printed: the machine
may be shared, so compare pages within one run.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import tempfile
import time
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "support"))

from browser_app import chromium, dashboard, error_texts, nav_links, settle  # noqa: E402
from playwright.sync_api import TimeoutError as PlaywrightTimeout  # noqa: E402

TARGET = 2.0
HOME = "Overview"
COUNTED = {"grids": '[data-testid="stDataFrame"], [data-testid="stTable"]',
           "charts": '[data-testid="stVegaLiteChart"]',
           "metrics": '[data-testid="stMetric"]',
           "elements": '[data-testid="stMain"] [data-testid="stElementContainer"]'}


def new_context(browser):
    """A browser context whose waits allow a loaded machine (10 minutes, not Playwright's 30 s)."""
    context = browser.new_context(viewport={"width": 1400, "height": 1800})
    context.set_default_timeout(600_000)
    context.set_default_navigation_timeout(600_000)
    return context


def timed_visit(browser, url: str, context=None) -> tuple[float, list[str]]:
    """Seconds to open `url` in a new tab of `context` (default: of a new browser context), and
    the error boxes it shows."""
    own = context is None
    if own:
        context = new_context(browser)
    page = context.new_page()
    start = time.monotonic()
    page.goto(url)
    page.locator("h1").first.wait_for(timeout=600_000)
    calm = settle(page, timeout=600)
    errors = error_texts(page)
    page.close()
    if own:
        context.close()
    return calm - start, errors


def title_of(page) -> str:
    return page.locator("h1").first.inner_text(timeout=600_000)


def click_to(page, link: str) -> float:
    """Seconds from a sidebar click on `link` until the new page's title shows and it is calm."""
    before = title_of(page)
    start = time.monotonic()
    for attempt in range(3):  # a click during the previous page's last rerun can be dropped
        page.locator('[data-testid="stSidebarNavLink"]', has_text=link).first.click()
        try:
            page.wait_for_function(
                "before => { const h = document.querySelector('[data-testid=\"stMain\"] h1');"
                " return h && h.innerText.trim() !== before; }", arg=before.strip(),
                timeout=120_000)
            break
        except PlaywrightTimeout:
            print(f"  (click on {link!r} had no effect after 120 s; clicked again)",
                  file=sys.stderr)
    return settle(page, timeout=600) - start


def browser_busy(cdp) -> float:
    """Seconds the page's renderer main thread has spent in tasks so far (Chrome's
    TaskDuration): the browser's share of a click, less inflated by a loaded machine than the
    click's wall time (though it still counts time the thread waited for a core)."""
    metrics = {m["name"]: m["value"] for m in cdp.send("Performance.getMetrics")["metrics"]}
    return metrics["TaskDuration"]


def counts(page) -> dict[str, int]:
    return {name: page.locator(selector).count() for name, selector in COUNTED.items()}


def script_times(path: Path, since: float) -> dict[str, list[tuple[float, float]]]:
    """Page title -> (wall, CPU) seconds of the server-side script runs recorded after `since`."""
    out: dict[str, list[tuple[float, float]]] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            record = json.loads(line)
            if record["at"] >= since:
                out.setdefault(record["page"], []).append((record["seconds"], record["cpu"]))
    return out


def build_store(tmp: str, rows: int) -> str:
    """The demo store as `make run` builds it: the demo monitor and the stored default front."""
    from scorecard.scheduling.demo import build_demo, store_sample_front
    from scorecard.storage import MonitorStore, ResultStore

    url = f"sqlite:///{Path(tmp) / 'store.db'}"
    started = time.monotonic()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        build_demo(MonitorStore(url), Path(tmp) / "demo", rows=rows)
        store_sample_front(ResultStore(url))
    print(f"demo store ({rows:,} rows, 24 periods) built in {time.monotonic() - started:.1f} s",
          file=sys.stderr)
    return url


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=60_000, help="rows of the demo book")
    parser.add_argument("--repeat", type=int, default=3, help="warm visits and clicks per page")
    parser.add_argument("--store", help="an existing store URL (default: a fresh demo store)")
    parser.add_argument("--app", type=Path, help="another app/main.py (e.g. an older version's, "
                        "to compare in the same conditions; its script times need app/timing.py)")
    parser.add_argument("--phases", nargs="+", choices=["visits", "in-app"],
                        default=["visits", "in-app"],
                        help="visits: cold, fresh-context and new-tab visits by URL; in-app: "
                             "sidebar clicks (the quickest to run)")
    parser.add_argument("--json", type=Path, help="also write the rows here")
    args = parser.parse_args(argv)

    with tempfile.TemporaryDirectory(prefix="bench-pages-") as tmp:
        url = args.store or build_store(tmp, args.rows)
        times = Path(tmp) / "page_times.jsonl"
        env = {"SCORECARD_DB": url, "SCORECARD_USERS": "", "SCORECARD_AUTH_FILE": "",
               "SCORECARD_PAGE_TIMES": str(times),
               **({"SCORECARD_APP": str(args.app.resolve())} if args.app else {})}
        with dashboard(env, timeout=900) as app, chromium() as browser:
            context = new_context(browser)
            page = context.new_page()
            page.goto(app)
            settle(page, timeout=600)
            pages = nav_links(page)
            context.close()
            rows = {title: {"page": title} for title in pages}
            loads = [os.getloadavg()[0]]
            if "visits" in args.phases:
                for title, href in pages.items():  # cold, then fresh-context visits
                    cold, errors = timed_visit(browser, href)
                    fresh = [timed_visit(browser, href)[0] for _ in range(args.repeat)]
                    rows[title].update(cold=cold, fresh=statistics.median(fresh), errors=errors)
                    loads.append(os.getloadavg()[0])
                    print(f"  {title}: cold {cold:.2f} s, fresh {rows[title]['fresh']:.2f} s",
                          file=sys.stderr)
            context = new_context(browser)
            if "visits" in args.phases:
                for title, href in pages.items():
                    timed_visit(browser, href, context)  # fills the browser's cache
                for title, href in pages.items():
                    rows[title]["tab"] = statistics.median(
                        timed_visit(browser, href, context)[0] for _ in range(args.repeat))
                    print(f"  {title}: tab {rows[title]['tab']:.2f} s", file=sys.stderr)
            page = context.new_page()
            cdp = context.new_cdp_session(page)
            cdp.send("Performance.enable")
            page.goto(app)
            settle(page, timeout=600)
            nav_links(page)  # expands every section of the sidebar
            for title in pages:  # in-app: a sidebar click from the Overview, --repeat times
                clicks, busy, scripts = [], [], []
                for _ in range(args.repeat):
                    if title == HOME or title_of(page) != HOME:
                        click_to(page, "Saved results" if title == HOME else HOME)
                    since, before = time.time(), browser_busy(cdp)
                    clicks.append(click_to(page, title))
                    busy.append(browser_busy(cdp) - before)
                    runs = script_times(times, since).get(title, [(float("nan"),) * 2])
                    scripts.append(runs[-1])
                rows[title].update(in_app=statistics.median(clicks),
                                   browser_cpu=statistics.median(busy),
                                   script=statistics.median(w for w, _ in scripts),
                                   script_cpu=statistics.median(c for _, c in scripts),
                                   **counts(page))
                rows[title].setdefault("errors", error_texts(page))
                loads.append(os.getloadavg()[0])
                print(f"  {title}: in-app {rows[title]['in_app']:.2f} s (script "
                      f"{rows[title]['script']:.2f} s, {rows[title]['script_cpu']:.2f} CPU s; "
                      f"browser main thread busy {rows[title]['browser_cpu']:.2f} s)", file=sys.stderr)
            context.close()

    load = statistics.mean(loads)
    print(f"\nload average {load:.1f} (from {min(loads):.1f} to {max(loads):.1f}) on "
          f"{os.cpu_count()} cores; fresh, tab and in-app = median of {args.repeat}; script = "
          "server-side run of the page on an in-app click (wall and process CPU s); brwBusy = "
          "seconds the browser's main thread spent in tasks during the click")
    print(f"{'page':<24} {'cold':>6} {'fresh':>6} {'tab':>6} {'in-app':>7} {'script':>7} "
          f"{'scrCPU':>7} {'brwBusy':>7} {'grids':>6} {'charts':>6} {'metric':>6} {'elems':>6}"
          f"  in-app < {TARGET:g} s")
    for row in rows.values():
        flag = "yes" if row["in_app"] < TARGET else "NO"
        visits = " ".join(f"{row[k]:6.2f}" if k in row else f"{'-':>6}"
                          for k in ("cold", "fresh", "tab"))
        print(f"{row['page']:<24} {visits} {row['in_app']:7.2f} {row['script']:7.2f} "
              f"{row['script_cpu']:7.2f} {row['browser_cpu']:7.2f} {row['grids']:6d} "
              f"{row['charts']:6d} {row['metrics']:6d} {row['elements']:6d}  {flag}"
              + (f"  errors: {row['errors']}" if row["errors"] else ""))
    if args.json:
        args.json.write_text(json.dumps({"load": load, "rows": list(rows.values())}, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
