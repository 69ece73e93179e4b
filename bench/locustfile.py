"""The people of bench/load.py: checkers and editors working a desk through its pages, as browsers do.

Run by ``bench/load.py`` (``locust -f bench/locustfile.py --headless ...``), which builds the desk, starts
``claimdesk serve`` and writes the people file this reads (``CLAIMDESK_LOAD_PEOPLE``): each person's role,
the session bench/load.py signed them in with, the server they use (users are split between the nodes) and, for checkers, the new
claims that are theirs to work (no two people share one, so a conflict would be a bug, not bad luck).

A checker reads the queue, filters it (an htmx swap), searches the corpus, opens claims, and works its
own claims one step at a time, as the workspace posts them: accept from the queue row, start, attach a
source, save the verdict draft (each write names the claim version the page showed). An editor reads
the queue's review tab, the verdicts inbox, published claims and searches. Between two clicks a person
pauses 1-3 s (``CLAIMDESK_LOAD_PAUSE=0`` makes the closed loop: no pause at all).
"""

import itertools
import json
import os
import random
import re
from http.cookiejar import Cookie
from urllib.parse import urlsplit

from locust import between, constant, task
from locust.contrib.fasthttp import FastHttpUser

with open(os.environ["CLAIMDESK_LOAD_PEOPLE"], encoding="utf-8") as handle:
    DESK = json.load(handle)
PEOPLE = DESK["people"]
NUMBERS = itertools.count()
WORDS = ["minister", "growth", "million", "government", "percent", "election", "prices", "record", "jobs",
         "market", "health", "budget", "police", "sales", "court", "schools", "rise", "world", "energy", "tax"]
VERSION = re.compile(r'name="version" value="(\d+)"')
CSRF_HEADER = re.compile(r'"X-CSRFToken": "([^"]+)"')
PAUSE = float(os.environ.get("CLAIMDESK_LOAD_PAUSE", "1"))


class Person(FastHttpUser):
    """One person of the desk, signed in with their own account on their own node."""

    wait_time = between(1, 3) if PAUSE else constant(0)
    host = PEOPLE[0]["node"]

    def __init__(self, environment):
        self.person = PEOPLE[next(NUMBERS) % len(PEOPLE)]
        self.host = self.person["node"]
        super().__init__(environment)
        self.claims = list(self.person.get("claims", []))
        self.step = 0  # of the claim being worked: 0 accept, 1 start, 2 evidence, 3 verdict
        self.version = None
        self.csrf = ""

    def on_start(self):
        """Carry on the session bench/load.py opened for this person (sign-in is not what is measured)."""
        host = urlsplit(self.host).hostname
        self.client.cookiejar.set_cookie(Cookie(
            0, "session", self.person["session"], None, False, host, False, False, "/", True, False, None, False,
            None, None, {}))
        self.csrf = self.person["csrf"]

    def htmx(self, target: str) -> dict:
        return {"HX-Request": "true", "HX-Target": target, "X-CSRFToken": self.csrf,
                "HX-Current-URL": f"{self.host}/?tab=new"}

    @task(4)
    def queue_page(self):
        tab = "in_review" if self.person["role"] == "editor" else "new"
        page = self.client.get(f"/?tab={tab}", name="queue page").text
        found = CSRF_HEADER.search(page)
        if found:
            self.csrf = found.group(1)

    @task(2)
    def queue_filter(self):
        self.client.get(f"/?tab=open&q={random.choice(WORDS)}", headers=self.htmx("queue-rows"),
                        name="queue filter (htmx)")

    @task(2)
    def search(self):
        self.client.get(f"/search/?q={random.choice(WORDS)}", name="search")

    @task(3)
    def claim_page(self):
        self.client.get(f"/claims/{random.choice(DESK['claims'])}", name="claim page")

    @task(1)
    def editor_reads(self):
        if self.person["role"] == "editor":
            self.client.get("/verdicts", name="verdicts inbox")
        else:
            self.client.get(f"/search/?kind=verdict&q={random.choice(WORDS)}", name="search (prior verdicts)")

    @task(4)
    def work(self):
        """Take the next step on this checker's own claim (editors read a published claim instead)."""
        if self.person["role"] == "editor" or not self.claims:
            self.client.get(f"/claims/{random.choice(DESK['claims'])}", name="claim page")
            return
        claim = self.claims[0]
        if self.version is None:
            self.version = self.read_version(self.client.get(f"/claims/{claim}", name="claim page").text)
        if self.step == 0:
            action = "dismiss" if claim % 5 == 0 else "accept"
            form = {"version": self.version, "reason": "not_checkworthy"} if action == "dismiss" else {
                "version": self.version}
            answer = self.post(f"/claims/{claim}/action/{action}", form, f"claim-{claim}", f"triage ({action})")
            if answer is not None:
                if action == "dismiss":
                    self.next_claim()
                    return
                self.version += 1  # the row leaves the queue: its answer holds no form
        elif self.step == 1:
            answer = self.post(f"/claims/{claim}/action/start", {"version": self.version}, "workspace",
                               "start (workspace)")
        elif self.step == 2:
            answer = self.post(f"/claims/{claim}/evidence", {
                "version": self.version, "url": f"https://stats.example/tables/{claim}", "stance": "refutes",
                "title": "Official table", "excerpt": "The table shows a smaller rise.", "note": "load bench"},
                "evidence-panel", "evidence add")
        else:
            answer = self.post(f"/claims/{claim}/verdict", {
                "version": self.version, "rating_key": "mostly-false", "conclusion": "The figures are smaller",
                "claim_reviewed": "The claim as reviewed", "explanation": "The official table shows otherwise."},
                "verdict-panel", "verdict save")
            if answer is not None:
                self.next_claim()
                return
        if answer is None:
            self.next_claim()  # refused: counted as an error; go on with the next claim
            return
        self.step += 1
        if self.step > 1:
            self.version = self.read_version(answer) or None

    def post(self, path: str, form: dict, target: str, name: str) -> str | None:
        with self.client.post(path, data=form, headers=self.htmx(target), name=name, catch_response=True) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}: {(answer.text or '')[:200]}")
                return None
            return answer.text or ""

    @staticmethod
    def read_version(html: str) -> int | None:
        found = [int(v) for v in VERSION.findall(html or "")]
        return max(found) if found else None

    def next_claim(self):
        self.claims.pop(0)
        self.step = 0
        self.version = None
