"""A whole bill read ask by ask: the clause facts, the safeguards each power gets anywhere in the bill,
and the fifteen statuses with the clauses that engage each ask.

    bill = read_bill(clauses, predictions, facts_model.predict([c.text for c in clauses]))
    Assessment("ke_cmca_2018", len(clauses), {}, asks.judge(bill)).to_dict()
    # {"bill": ..., "asks": [{"id": 1, "ask": ..., "status": ..., "summary": ..., "clauses": [...]}]}

`predictions` are the label model's (clauseclf.label) for the same clauses, in the same
order: they give the four labels that asks 1-5 read. The facts model (facts.py) gives
each clause's kind, and for powers, cooperation and safeguards the power and its
safeguard facts; references.py links each power to the clauses that safeguard it.
"""

from __future__ import annotations

import re
from dataclasses import asdict, dataclass, field

from clauseclf.assess.facts import ClauseFacts
from clauseclf.assess.references import Place, place_of, safeguard_sources
from clauseclf.schema import SAFEGUARD_KINDS, Clause, Prediction

POWER_KINDS = ("procedural_power",)
COOPERATION_POWERS = ("mutual_assistance", "extradition")
STATUSES = ("met", "partly_met", "not_met", "not_addressed")
# Cooperation is with another state: a clause the facts model reads as cooperation counts as such only when
# its words name one, or the central authority that deals with them (English, French and Spanish, the
# languages of the gold bills). Without this, an order "outside court working hours" or an e-commerce
# supplier's "order" made asks 12-14 of bills with no cooperation Part read `not_met`.
ANOTHER_STATE = re.compile(
    r"\b(?:foreign|another (?:state|country)|other (?:states?|countries|country|jurisdictions?)|requesting|"
    r"requested (?:state|party|country)|mutual (?:legal )?assistance|extradit\w*|international|interpol|treaty|"
    r"24 ?x ?7|counterpart|central authority|autorité centrale|autoridad central|"
    r"étrang\w*|[ée]tat requ[ée]\w*|autre [ée]tat|entraide|international\w*|"
    r"extranjer\w*|estado requ\w*|otro estado|asistencia (?:judicial |legal )?mutua|extradici[óo]n|internacional\w*)",
    re.IGNORECASE)
# Words that make a clause one of cooperation whatever kind the facts model reads (it misses MU's "an
# extraditable crime ... under the Extradition Act" and Morocco's "relations de coopération au niveau
# national et international"): extradition, mutual assistance, a requesting state, cooperation with or
# sharing to bodies abroad.
COOPERATION_WORDS = re.compile(
    r"\b(?:extradit\w*|mutual (?:legal )?assistance|request(?:ing|ed) state|entraide|extradici[óo]n|"
    r"asistencia (?:judicial |legal )?mutua|[ée]tat requ[ée]\w*|estado requ\w*)|"
    r"\b(?:cooperat|coopérat|cooperac|shar|partag|compart)\w*\b[^.;]{0,120}"
    r"\b(?:foreign|international|étrang\w*|internacional\w*|extranjer\w*|other countries|another country)",
    re.IGNORECASE)


@dataclass
class ClauseView:
    """One clause of the bill as the assessment sees it."""

    index: int
    unit: str
    heading: list[str]
    text: str
    labels: list[str]
    facts: ClauseFacts
    place: Place

    @property
    def kind(self) -> str:
        return self.facts.kind

    @property
    def where(self) -> str:
        return self.unit or f"clause {self.index + 1}"


@dataclass
class Found:
    """A safeguard fact stated for a power, and where."""

    fact: str
    value: str
    unit: str
    how: str


@dataclass
class PowerView:
    """A power (or cooperation clause) with every safeguard the bill gives it."""

    clause: ClauseView
    power: str
    found: dict[str, Found] = field(default_factory=dict)
    """fact -> the first clause that states it (own clause first); `after_the_fact` where only that is found."""

    def has(self, fact: str) -> bool:
        return fact in self.found and self.found[fact].value == "stated"

    def value(self, fact: str) -> str:
        return self.found[fact].value if fact in self.found else "not_stated"


@dataclass
class Engaged:
    """A clause that engages an ask, whether it meets it, and why."""

    unit: str
    heading: str
    text: str
    why: str
    meets: bool | None = None
    safeguards: list[Found] = field(default_factory=list)


@dataclass
class AskResult:
    id: int
    ask: str
    status: str
    summary: str
    clauses: list[Engaged] = field(default_factory=list)


@dataclass
class Assessment:
    bill: str
    clauses: int
    model: dict
    asks: list[AskResult]

    def to_dict(self) -> dict:
        return {"bill": self.bill, "clauses": self.clauses, "model": self.model,
                "asks": [{"id": a.id, "ask": a.ask, "status": a.status, "summary": a.summary,
                          "clauses": [_engaged_dict(c) for c in a.clauses]} for a in self.asks]}


def _engaged_dict(clause: Engaged) -> dict:
    record = asdict(clause)
    if not clause.safeguards:
        record.pop("safeguards")
    return record


@dataclass
class Bill:
    """What the asks read: every clause, and the powers and cooperation clauses with their safeguards."""

    views: list[ClauseView]
    powers: list[PowerView]
    cooperation: list[PowerView]

    @property
    def offences(self) -> list[ClauseView]:
        return [v for v in self.views if v.kind == "offence"]

    def stated_anywhere(self, fact: str) -> list[ClauseView]:
        """Clauses of powers, cooperation or safeguards that state `fact`, wherever they are."""
        return [v for v in self.views if v.kind in SAFEGUARD_KINDS and v.facts.states(fact)]


def read_bill(clauses: list[Clause], predictions: list[Prediction], facts: list[ClauseFacts]) -> Bill:
    views = [ClauseView(i, c.unit, list(c.heading), c.text, list(p.labels), f, place_of(c.unit, c.heading, c.text))
             for i, (c, p, f) in enumerate(zip(clauses, predictions, facts, strict=True))]
    places = [v.place for v in views]
    guards = [v.index for v in views if v.kind in SAFEGUARD_KINDS]
    general = {v.index for v in views if v.kind == "safeguard"}
    powers, cooperation = [], []
    for view in views:
        if _defines(view):
            continue  # a definition grants no power and asks nothing of another state, whatever the facts model reads
        if COOPERATION_WORDS.search(view.text):
            power = view.facts.power if view.facts.power in COOPERATION_POWERS else (
                "extradition" if re.search(r"extradi", view.text, re.IGNORECASE) else "mutual_assistance")
            cooperation.append(PowerView(view, power, _found(view.index, views, places, guards, general)))
            continue
        if view.kind not in ("procedural_power", "cooperation"):
            continue
        power = view.facts.power or "other"
        entry = PowerView(view, power, _found(view.index, views, places, guards, general))
        if view.kind == "cooperation" or power in COOPERATION_POWERS:
            if ANOTHER_STATE.search(view.text):
                cooperation.append(entry)
        else:
            powers.append(entry)
    return Bill(views, powers, cooperation)


def _defines(view: ClauseView) -> bool:
    """A definition: so read by the facts model, or cut as one by the segmenter (unit `s. 2 "requesting State"`)."""
    return view.kind == "definition" or bool(re.search(r'\s"[^"]+"$', view.unit))


def _found(power: int, views: list[ClauseView], places: list[Place], guards: list[int],
           general: set[int]) -> dict[str, Found]:
    """Each safeguard fact stated for the power, by its own clause first, then by the clauses that apply to it."""
    found: dict[str, Found] = {}
    for index, how in safeguard_sources(power, places, guards, general):
        for fact, value in views[index].facts.safeguards.items():
            better = value == "stated" or (value == "after_the_fact" and fact not in found)
            if better and (fact not in found or found[fact].value != "stated"):
                found[fact] = Found(fact, value, views[index].where, how)
    return found
