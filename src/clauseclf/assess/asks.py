"""The fifteen asks of the UN human-rights office's standard, and how each is judged on a bill.

The rules are those of data/assessments/GUIDELINE.md, read from clause facts: the
label model's four labels for offences (asks 1-5), the facts model's safeguards of
each power with those the bill gives it elsewhere (asks 6-11, 15), and those of
cooperation clauses (asks 12-14). A status is a prompt for the analyst, who reads the
clauses listed with it.

    results = judge(bill)   # one AskResult per ask, in order
"""

from __future__ import annotations

import re
from collections.abc import Callable

from clauseclf import lexicon
from clauseclf.assess.assessment import AskResult, Bill, ClauseView, Engaged, PowerView

ASKS = {
    1: "Criminalise only core offences against computer data and systems",
    2: "No offences based on the content of expression",
    3: "Require criminal intent (and, where apt, dishonest or harmful purpose)",
    4: "Clear and narrow terms",
    5: "Carve-outs for journalists, security researchers and whistle-blowers",
    6: "Intrusive powers (interception of content, real-time collection) limited to serious crime",
    7: "Scope and duration limits",
    8: "Reasonable suspicion and targeting; no bulk collection",
    9: "Prior judicial authorisation and ongoing oversight",
    10: "Search and seizure of devices safeguarded",
    11: "Privileged communications protected",
    12: "Dual criminality for mutual assistance",
    13: "Requests approved by competent authorities of both states",
    14: "Assistance refusable on human-rights grounds",
    15: "Service providers never the final decision-maker",
}

# Content offences the guideline tolerates when narrowly drawn (ask 2: partly met, not met).
NARROW_CONTENT = re.compile(r"child (?:sexual|pornograph|abuse)|\bminors?\b.{0,60}(?:sexual|pornograph)|"
                            r"\bintimate\b.{0,30}\b(?:images?|photographs?|videos?)|without (?:his|her|their) consent.{0,80}(?:nud|sexual)|"
                            r"\bthreat(?:en)?s? (?:to kill|of (?:death|violence|harm))", re.IGNORECASE)
# Ask 5: the two kinds of carve-out, anywhere in the bill.
RESEARCH_CARVE_OUT = re.compile(r"\b(?:security|penetration|vulnerability) (?:test|research|assessment)|"
                                r"\bauthori[sz]ed (?:security )?test|\bfor the purpose of (?:testing|protecting)|"
                                r"\bgood faith\b.{0,80}\b(?:research|testing)|\bethical hack", re.IGNORECASE)
DISCLOSURE_CARVE_OUT = re.compile(r"\bpublic interest\b|\bjournalis|\bwhistle-?blow|\bprotected disclosure",
                                  re.IGNORECASE)
EXEMPTION = re.compile(r"\b(?:defen[cs]e|not (?:be )?(?:an offen[cs]e|liable|apply)|shall not apply|exempt|"
                       r"does not apply|no offen[cs]e)", re.IGNORECASE)
DISCLOSURE_OFFENCE = re.compile(r"\bdisclos|\bpublish|\breveal", re.IGNORECASE)
INTRUSIVE = ("interception", "real_time_collection")
UNTARGETED_BY_NATURE = ("retention", "blocking_takedown")  # general retention, blocking: bulk unless targeted
PROVIDER_POWERS = ("production_order", "preservation", "retention", "blocking_takedown", "decryption_assistance",
                   "real_time_collection")


def judge(bill: Bill) -> list[AskResult]:
    return [AskResult(number, ASKS[number], *JUDGES[number](bill)) for number in ASKS]


Judged = tuple[str, str, list[Engaged]]  # status, one-line summary, clauses


def status_of(meets: list[bool | None]) -> str:
    """met when every engaged clause meets the ask, not_met when none does, partly_met between."""
    judged = [m for m in meets if m is not None]
    if not judged:
        return "not_addressed"
    return "met" if all(judged) else "not_met" if not any(judged) else "partly_met"


def engaged(view: ClauseView, why: str, meets: bool | None, power: PowerView | None = None,
            facts: tuple[str, ...] = ()) -> Engaged:
    safeguards = [power.found[f] for f in facts if power and f in power.found and power.found[f].value != "not_stated"]
    return Engaged(view.where, " › ".join(view.heading), view.text, why, meets, safeguards)


def _misses_first(clauses: list[Engaged]) -> list[Engaged]:
    return sorted(clauses, key=lambda c: {False: 0, None: 1, True: 2}[c.meets])


def _count(items: list, noun: str, plural: str = "") -> str:
    return f"{len(items)} {noun if len(items) == 1 else plural or noun + 's'}"


# ----------------------------------------------------------------------------- offences (asks 1-5)


def core_only(bill: Bill) -> Judged:
    core = [o for o in bill.offences if "core_cybercrime" in o.labels]
    other = [o for o in bill.offences if "content_offence" in o.labels and o not in core]
    if not bill.offences:
        return "not_addressed", "The bill creates no offence.", []
    clauses = [engaged(o, "core offence against data or systems", True) for o in core]
    clauses += [engaged(o, "not a core offence: it turns on what a message says", False) for o in other]
    status = "met" if core and not other else "partly_met" if core else "not_met"
    return status, f"{_count(core, 'core offence')}, {_count(other, 'other offence')} beside them.", _misses_first(clauses)


def no_content_offences(bill: Bill) -> Judged:
    if not bill.offences:
        return "not_addressed", "The bill creates no offence.", []
    content = [o for o in bill.offences if "content_offence" in o.labels]
    narrow = [o for o in content if NARROW_CONTENT.search(o.text)]
    clauses = [engaged(o, "content offence, of the narrow kinds the standard tolerates (child abuse material, "
                          "intimate images, threats)" if o in narrow else "content offence", False) for o in content]
    status = "met" if not content else "partly_met" if len(narrow) == len(content) else "not_met"
    wide = len(content) - len(narrow)
    return status, f"{_count(content, 'content offence')}, {wide} beyond the narrow kinds.", _misses_first(clauses)


def intent_required(bill: Bill) -> Judged:
    creating = [o for o in bill.offences if "missing_intent" in o.labels or _states_intent(o.text)]
    if not creating:
        return "not_addressed", "No clause of the bill creates an offence.", []
    missing = [o for o in creating if "missing_intent" in o.labels]
    clauses = [engaged(o, "no mental element (intentionally, knowingly, with intent to ...)", False) for o in missing]
    clauses += [engaged(o, "states a mental element", True) for o in creating if o not in missing]
    status = status_of([o not in missing for o in creating])
    return status, f"{_count(missing, 'offence')} of {len(creating)} state no mental element.", _misses_first(clauses)


def _states_intent(text: str) -> bool:
    return any(lexicon.mentions(text, words) for words in lexicon.MENTAL_ELEMENT_LISTS)


def clear_terms(bill: Bill) -> Judged:
    if not bill.offences:
        return "not_addressed", "The bill creates no offence.", []
    broad = [o for o in bill.offences if "overbroad" in o.labels]
    broad += [v for v in bill.views if v.kind == "definition" and "overbroad" in v.labels]
    clauses = [engaged(v, "vague or sweeping terms" if v.kind == "offence" else "sweeping definition", False)
               for v in broad]
    broad_offences = sum(1 for v in broad if v.kind == "offence")
    status = ("met" if not broad else "not_met" if broad_offences > len(bill.offences) / 2 else "partly_met")
    return status, f"{_count(broad, 'clause')} flagged overbroad ({broad_offences} of {len(bill.offences)} offences).", clauses


def carve_outs(bill: Bill) -> Judged:
    relevant = [o for o in bill.offences if "core_cybercrime" in o.labels or DISCLOSURE_OFFENCE.search(o.text)]
    if not relevant:
        return "not_addressed", "No offence of access, interception, data, devices or disclosure.", []
    research = [v for v in bill.views if RESEARCH_CARVE_OUT.search(v.text) and EXEMPTION.search(v.text)]
    disclosure = [v for v in bill.views if DISCLOSURE_CARVE_OUT.search(v.text) and EXEMPTION.search(v.text)]
    clauses = [engaged(v, "carve-out for security testing or research", True) for v in research]
    clauses += [engaged(v, "carve-out for public-interest disclosure or reporting", True) for v in disclosure
                if v not in research]
    clauses += [engaged(o, "offence of access, interception, data, devices or disclosure", None) for o in relevant]
    status = "met" if research and disclosure else "partly_met" if research or disclosure else "not_met"
    found = ", ".join(kind for kind, items in (("research", research), ("disclosure", disclosure)) if items) or "none"
    return status, f"{_count(relevant, 'offence')} that could reach them; carve-outs found: {found}.", clauses


# ----------------------------------------------------------------------------- powers (asks 6-11, 15)

FACT_WORDS = {
    "serious_crime_only": "limited to serious crime", "time_limit": "time limit",
    "reasonable_suspicion": "reasonable suspicion", "targeted": "targeted",
    "judicial_authorisation": "judicial authorisation", "oversight": "oversight or remedy",
    "privilege_protected": "privilege protected", "public_authority_decides": "a public authority decides",
    "necessity_proportionality": "necessity and proportionality", "dual_criminality": "dual criminality",
    "human_rights_refusal": "refusal on human-rights grounds",
}


def _power_why(power: PowerView, facts: tuple[str, ...]) -> str:
    """"interception power: time limit in s. 36(4); no judicial authorisation found"."""
    parts = []
    for fact in facts:
        words = FACT_WORDS[fact]
        found = power.found.get(fact)
        if found and found.value == "stated":
            parts.append(f"{words} ({'its own clause' if found.how == 'its own clause' else f'{found.unit}: {found.how}'})")
        elif found and found.value == "after_the_fact":
            parts.append(f"{words} only after the fact ({found.unit}: {found.how})")
        else:
            parts.append(f"no {words} found")
    return f"{power.power.replace('_', ' ')} power: " + "; ".join(parts)


def _each_power(powers: list[PowerView], facts: tuple[str, ...], meets: Callable[[PowerView], bool]) -> list[Engaged]:
    return _misses_first([engaged(p.clause, _power_why(p, facts), meets(p), p, facts) for p in powers])


def _power_summary(powers: list[PowerView], clauses: list[Engaged], what: str, plural: str = "") -> str:
    meeting = sum(1 for c in clauses if c.meets)
    return f"{meeting} of {_count(powers, what, plural)} meet it, with the safeguards found anywhere in the bill."


def serious_crime(bill: Bill) -> Judged:
    intrusive = [p for p in bill.powers if p.power in INTRUSIVE]
    clauses = _each_power(intrusive, ("serious_crime_only",), lambda p: p.has("serious_crime_only"))
    return status_of([c.meets for c in clauses]), _power_summary(intrusive, clauses, "intrusive power"), clauses


def time_limits(bill: Bill) -> Judged:
    clauses = _each_power(bill.powers, ("time_limit",), lambda p: p.has("time_limit"))
    return status_of([c.meets for c in clauses]), _power_summary(bill.powers, clauses, "power"), clauses


def suspicion_and_targeting(bill: Bill) -> Judged:
    facts = ("reasonable_suspicion", "targeted")
    clauses = _each_power(bill.powers, facts, lambda p: p.has("reasonable_suspicion") and p.has("targeted"))
    if not clauses:
        return "not_addressed", "The bill grants no procedural power.", []
    some = any(p.has(f) for p in bill.powers for f in facts)
    bulk = [p for p in bill.powers if p.power in UNTARGETED_BY_NATURE and not p.has("targeted")]
    status = "met" if all(c.meets for c in clauses) else "partly_met" if some else "not_met"
    note = f"; {_count(bulk, 'untargeted retention or blocking power')}" if bulk else ""
    return status, _power_summary(bill.powers, clauses, "power") + note, clauses


def judicial_authorisation(bill: Bill) -> Judged:
    facts = ("judicial_authorisation", "oversight")
    clauses = _each_power(bill.powers, facts, lambda p: p.value("judicial_authorisation") == "stated")
    if not clauses:
        return "not_addressed", "The bill grants no procedural power.", []
    oversight = any(p.has("oversight") for p in bill.powers) or bool(bill.stated_anywhere("oversight"))
    judicial = [p.value("judicial_authorisation") for p in bill.powers]
    if all(v == "stated" for v in judicial) and oversight:
        status = "met"
    elif all(v == "not_stated" for v in judicial) and not oversight:
        status = "not_met"
    else:
        status = "partly_met"
    prior = judicial.count("stated")
    return status, (f"{prior} of {_count(bill.powers, 'power')} need prior judicial authorisation; oversight or "
                    f"remedy {'found' if oversight else 'not found'}."), clauses


def search_and_seizure(bill: Bill) -> Judged:
    searches = [p for p in bill.powers if p.power == "search_seizure"]
    remedy = bool(bill.stated_anywhere("oversight"))
    facts = ("judicial_authorisation", "targeted", "oversight")
    clauses = _each_power(searches, facts, lambda p: p.has("judicial_authorisation") and p.has("targeted")
                          and (remedy or p.has("oversight")))
    return status_of([c.meets for c in clauses]), _power_summary(searches, clauses, "search and seizure power"), clauses


def privilege(bill: Bill) -> Judged:
    if not bill.powers:
        return "not_addressed", "The bill grants no procedural power.", []
    general = bill.stated_anywhere("privilege_protected")
    clauses = [engaged(v, "protects privileged material", True) for v in general]
    covered = [p for p in bill.powers if p.has("privilege_protected")]
    if not general:
        status = "not_met"
    elif len(covered) == len(bill.powers) or _bill_wide(general):  # every power, or a clause for all of them
        status = "met"
    else:
        status = "partly_met"
    return status, f"{_count(general, 'clause')} {'protects' if len(general) == 1 else 'protect'} privilege; {len(covered)} of {_count(bill.powers, 'power')} covered.", clauses


def _bill_wide(views: list[ClauseView]) -> bool:
    return any(v.place.bill_wide or v.place.part_wide for v in views)


def provider_decisions(bill: Bill) -> Judged:
    ordering = [p for p in bill.powers if p.power in PROVIDER_POWERS]
    facts = ("public_authority_decides", "judicial_authorisation")
    clauses = _each_power(ordering, facts, lambda p: p.has("public_authority_decides") or p.has("judicial_authorisation"))
    return status_of([c.meets for c in clauses]), _power_summary(ordering, clauses, "power over providers", "powers over providers"), clauses


# ----------------------------------------------------------------------------- cooperation (asks 12-14)


def _cooperation(fact: str, missing: str) -> Callable[[Bill], Judged]:
    def judge_cooperation(bill: Bill) -> Judged:
        if not bill.cooperation:
            return "not_addressed", "The bill has no mutual assistance or extradition provisions.", []
        stating = [c for c in bill.cooperation if c.has(fact)]
        stating_views = {p.clause.index for p in stating}
        extra = [v for v in bill.stated_anywhere(fact) if v.index not in stating_views and v.kind == "safeguard"]
        clauses = _each_power(bill.cooperation, (fact,), lambda p: p.has(fact))
        clauses += [engaged(v, f"states {FACT_WORDS[fact]}", True) for v in extra]
        status = "met" if stating or extra else "not_met"
        also = f" and {_count(extra, 'safeguard clause')}" if extra else ""
        summary = (f"{FACT_WORDS[fact].capitalize()} found in {_count(stating, 'cooperation clause')}{also}."
                   if stating or extra else missing)
        return status, summary, _misses_first(clauses)

    return judge_cooperation


JUDGES: dict[int, Callable[[Bill], Judged]] = {
    1: core_only, 2: no_content_offences, 3: intent_required, 4: clear_terms, 5: carve_outs,
    6: serious_crime, 7: time_limits, 8: suspicion_and_targeting, 9: judicial_authorisation,
    10: search_and_seizure, 11: privilege,
    12: _cooperation("dual_criminality", "No clause makes assistance depend on dual criminality."),
    13: _cooperation("public_authority_decides", "No clause leaves requests to a central or competent authority."),
    14: _cooperation("human_rights_refusal", "No clause allows refusal on human-rights or persecution grounds."),
    15: provider_decisions,
}
