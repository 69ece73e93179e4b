"""The desk overview's charts: each a table of numbers, drawn as server-side SVG, offered as CSV.

A chart is one table (a row per category, a column per series) with the queue link behind each
number. The same table gives the SVG's bars, the screen-reader table under it and the CSV, so
the three always agree. The SVG uses attributes and CSS classes only (the CSP forbids inline
style) and no script.
"""

import csv
import io
import math
from dataclasses import dataclass, field
from urllib.parse import urlencode

from markupsafe import Markup, escape

from review.dashboard import workload_states

WIDTH, HEIGHT = 640, 240
LEFT, RIGHT, TOP, BOTTOM = 52, 12, 12, 52


@dataclass
class Chart:
    id: str
    title: str
    x_label: str
    y_label: str
    series: list[str]
    rows: list[dict] = field(default_factory=list)  # {"label", "values": [n per series], "links": [query per series]}
    base: str = "/"  # the queue's address; each link adds its query to it

    def __post_init__(self):
        for row in self.rows:
            row["hrefs"] = [queue_href(self.base, query) for query in row["links"]]

    def table_rows(self) -> Markup:
        """Return the numbers table's body rows: each number a link to the queue it counts."""
        return Markup("".join(
            f'<tr><th scope="row">{escape(row["label"])}</th>'
            + "".join(f'<td class="num"><a href="{escape(href)}">{int(value)}</a></td>'
                      for href, value in zip(row["hrefs"], row["values"])) + "</tr>"
            for row in self.rows))

    def csv(self) -> str:
        """Return the chart's numbers as CSV: the category, then one column per series."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([self.x_label, *self.series])
        for row in self.rows:
            writer.writerow([_csv_safe(row["label"]), *row["values"]])
        return out.getvalue()

    def svg(self) -> dict:
        """Return the geometry the template draws: axes, ticks, labelled bars with their links."""
        plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
        top_value = nice_max(max((v for r in self.rows for v in r["values"]), default=0))
        count = max(1, len(self.rows))
        group = plot_w / count
        bar = group * 0.8 / max(1, len(self.series))
        every = max(1, math.ceil(count / 12))  # at most about a dozen category labels
        bars, labels = [], []
        for i, row in enumerate(self.rows):
            x0 = LEFT + i * group + group * 0.1
            for s, value in enumerate(row["values"]):
                height = plot_h * value / top_value
                bars.append({"x": round(x0 + s * bar, 2), "y": round(TOP + plot_h - height, 2),
                             "width": round(max(bar - 1, 1), 2), "height": round(height, 2), "series": s,
                             "href": row["hrefs"][s], "title": f"{row['label']}: {value} {self.series[s].lower()}"})
            if i % every == 0:
                labels.append({"x": round(LEFT + i * group + group / 2, 2), "text": _short(row["label"])})
        ticks = [{"y": round(TOP + plot_h - plot_h * t / top_value, 2), "value": t}
                 for t in tick_values(top_value)]
        # A chart has up to a few hundred bars: built here in one pass (escaped), not by the template's loop.
        # The bars are links for the pointer; the keyboard and screen readers take the same links from the table.
        drawn = Markup("".join(
            f'<a href="{escape(b["href"])}" tabindex="-1"><rect class="bar series-{b["series"]}" x="{b["x"]}" y="{b["y"]}"'
            f' width="{b["width"]}" height="{b["height"]}"><title>{escape(b["title"])}</title></rect></a>' for b in bars))
        return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
                "bottom": TOP + plot_h, "middle_x": LEFT + plot_w / 2, "middle_y": TOP + plot_h / 2,
                "bars": bars, "drawn": drawn, "labels": labels, "ticks": ticks}


def queue_href(base: str, query: dict) -> str:
    """Return the queue's address with a figure's filters (built once here: a chart has hundreds of links)."""
    return f"{base}?{urlencode(query)}" if query else base


def nice_max(value: float) -> int:
    """Return the smallest 1, 2 or 5 times a power of ten that is at least ``value`` (1 for nothing)."""
    if value <= 1:
        return 1
    power = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 5, 10):
        if step * power >= value:
            return int(step * power)
    return int(10 * power)


def tick_values(top: int) -> list[int]:
    """Return up to five whole-number ticks from 0 to ``top``."""
    step = max(1, top // 4) if top % 4 == 0 or top < 4 else max(1, top // 5)
    return list(range(0, top + 1, step))


def _short(label: str) -> str:
    return label[5:] if len(label) == 10 and label[4] == "-" else (label if len(label) <= 14 else label[:13] + "…")


def _csv_safe(value) -> str:
    """Keep a spreadsheet from reading a claimant's name as a formula."""
    text = str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def charts_for(figures: dict, base: str = "/") -> list:
    """Return the charts the figures hold, in the order the dashboard shows them; links start at ``base``."""
    found: list[Chart] = []
    if "states" in figures:
        found.append(Chart("states", "Claims per state now", "State", "Claims", ["Claims"],
                           [_row(s["label"], s) for s in figures["states"]], base))
    if "flow" in figures:
        found.append(Chart("flow", f"Claims entering and leaving the desk per day, last {figures['days']} days",
                           f"Day ({figures['time_zone']})", "Claims", ["Entered", "Left"],
                           [{"label": d["day"], "values": [d["entered"], d["left"]],
                             "links": [d["entered_query"], d["left_query"]]} for d in figures["flow"]], base))
    if "ratings" in figures:
        found.append(Chart("ratings", "Published verdicts per rating", "Rating", "Verdicts", ["Verdicts"],
                           [_row(r["label"], r) for r in figures["ratings"]], base))
    if "ages" in figures:
        found.append(Chart("ages", "Open claims by age" + (" (mine)" if figures["scope"] == "mine" else ""),
                           "Age (desk days since the claim entered)", "Open claims", ["Open claims"],
                           [_row(a["label"], a) for a in figures["ages"]], base))
    if "workload" in figures:
        found.append(workload_chart(figures["workload"], base))
    if figures.get("agreement"):
        found.append(AgreementChart(figures["agreement"], base))
    return found


@dataclass
class AgreementChart:
    """Raw agreement and Cohen's kappa of the blind second ratings per week: two lines on a shared scale.

    The table gives per week the pairs compared (a link to their claims), how many agreed (a link),
    the share that agreed and kappa; the last row is the whole window. The CSV has the same columns,
    undefined values empty.
    """

    figures: dict  # review.agreement.over_time
    base: str = "/"
    id: str = "agreement"
    x_label: str = "Week starting"
    y_label: str = "Share agreed / kappa"
    series: tuple = ("Pairs", "Agreed", "Raw agreement", "Cohen's kappa")
    legend: tuple = ((0, "Raw agreement"), (1, "Cohen's kappa"))

    @property
    def title(self) -> str:
        return f"Agreement between blind raters per week, last {self.figures['days']} days"

    @property
    def rows(self) -> list[tuple[str, dict]]:
        return self._rows()

    def _rows(self) -> list[tuple[str, dict]]:
        return [(w["label"], w) for w in self.figures["weeks"]] + [(f"Last {self.figures['days']} days",
                                                                    self.figures["total"])]

    def table_rows(self) -> Markup:
        """Return the table's rows: the counts link to the claims behind them."""
        cells = []
        for label, f in self._rows():
            pairs, agreed = (queue_href(self.base, f[q]) for q in ("query", "agreed_query"))
            cells.append(f'<tr><th scope="row">{escape(label)}</th>'
                         f'<td class="num"><a href="{escape(pairs)}">{f["n"]}</a></td>'
                         f'<td class="num"><a href="{escape(agreed)}">{f["agreed"]}</a></td>'
                         f'<td class="num">{_ratio(f["agreement"]) or "—"}</td>'
                         f'<td class="num">{_ratio(f["kappa"]) or "—"}</td></tr>')
        return Markup("".join(cells))

    def csv(self) -> str:
        """Return the table as CSV: week, pairs, agreed, raw agreement, kappa (empty when undefined)."""
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow([self.x_label, *self.series])
        for label, f in self._rows():
            writer.writerow([label, f["n"], f["agreed"], _ratio(f["agreement"]), _ratio(f["kappa"])])
        return out.getvalue()

    def svg(self) -> dict:
        """Return the geometry: a line and points per measure, each point a link to that week's pairs."""
        weeks = self.figures["weeks"]
        plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
        lowest = min([0.0] + [w["kappa"] for w in weeks if w["kappa"] is not None])
        low = math.floor(lowest * 4) / 4

        def y(value: float) -> float:
            return round(TOP + plot_h * (1 - (value - low) / (1 - low)), 2)

        step = plot_w / max(1, len(weeks))
        drawn, labels = [], []
        for s, measure in enumerate(("agreement", "kappa")):
            points = [(round(LEFT + (i + .5) * step, 2), y(w[measure]), w) for i, w in enumerate(weeks)
                      if w[measure] is not None]
            if len(points) > 1:
                path = " ".join(f"{x},{py}" for x, py, _ in points)
                drawn.append(f'<polyline class="line series-{s}" points="{path}"/>')
            for x, py, w in points:
                note = f"week of {w['label']}: {self.legend[s][1].lower()} {_ratio(w[measure])} over {w['n']} pairs"
                drawn.append(f'<a href="{escape(queue_href(self.base, w["query"]))}" tabindex="-1">'
                             f'<circle class="point series-{s}" cx="{x}" cy="{py}" r="4"><title>{escape(note)}</title>'
                             f'</circle></a>')
        for i, w in enumerate(weeks):
            if i % 2 == 0:
                labels.append({"x": round(LEFT + (i + .5) * step, 2), "text": _short(w["label"])})
        ticks = [{"y": y(low + k * .25), "value": f"{low + k * .25:g}"} for k in range(int((1 - low) / .25) + 1)]
        return {"width": WIDTH, "height": HEIGHT, "left": LEFT, "right": WIDTH - RIGHT, "top": TOP,
                "bottom": TOP + plot_h, "middle_x": LEFT + plot_w / 2, "middle_y": TOP + plot_h / 2,
                "drawn": Markup("".join(drawn)), "labels": labels, "ticks": ticks}


def _ratio(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def workload_chart(people: list[dict], base: str) -> Chart:
    """Open claims per checker, one series per open state that anyone holds claims in."""
    states = workload_states(people)
    shown = [(key, label) for key, label in states if any(key in p["states"] for p in people)] or states
    rows = [{"label": p["username"], "values": [p["states"].get(key, {}).get("n", 0) for key, _ in shown],
             "links": [{"tab": key, "assignee": p["username"]} for key, _ in shown]} for p in people]
    return Chart("workload", "Open claims per checker", "Checker", "Open claims", [label for _, label in shown],
                 rows, base)


def _row(label: str, figure: dict) -> dict:
    return {"label": label, "values": [figure["n"]], "links": [figure["query"]]}


# The figures each chart is drawn from (what a chart's CSV needs computed).
CHART_FIGURES = {"states": ("states",), "flow": ("flow",), "ratings": ("ratings",), "ages": ("ages",),
                 "workload": ("workload",), "agreement": ("agreement",)}
