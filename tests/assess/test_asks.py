"""The fifteen asks judged on a bill whose clause facts are given: statuses, the clauses listed, and
safeguards found for a power elsewhere in the bill."""

from __future__ import annotations

from clauseclf.assess.asks import ASKS, judge, status_of
from clauseclf.assess.assessment import read_bill
from clauseclf.assess.facts import ClauseFacts
from clauseclf.schema import Clause, Prediction

NOT = "not_stated"


def clause(unit: str, text: str, heading=("PART III",)) -> Clause:
    return Clause(doc_id="bill", clause_id=unit, text=text, unit=unit, heading=list(heading))


def prediction(c: Clause, labels=()) -> Prediction:
    return Prediction(c.doc_id, c.clause_id, c.unit, c.heading, c.text, None, None, {}, list(labels), False, {})


def facts(kind: str, power: str | None = None, **stated) -> ClauseFacts:
    safeguards = {fact: "not_stated" for fact in ("judicial_authorisation", "reasonable_suspicion", "serious_crime_only",
                                                   "time_limit", "targeted", "oversight", "privilege_protected",
                                                   "dual_criminality", "human_rights_refusal",
                                                   "public_authority_decides")}
    safeguards.update(stated)
    return ClauseFacts(kind=kind, power=power, safeguards=safeguards)


def bill_of(rows):
    clauses = [clause(*r[0]) for r in rows]
    return read_bill(clauses, [prediction(c, r[1]) for c, r in zip(clauses, rows)], [r[2] for r in rows])


BILL = [
    (("s. 14(1)", "A person who intentionally accesses a computer system without authorisation commits an offence."),
     ["core_cybercrime"], facts("offence")),
    (("s. 22(1)", "A person who publishes false data commits an offence."),
     ["content_offence", "missing_intent", "overbroad"], facts("offence")),
    (("s. 48(1)", "A police officer may apply to court for a warrant to search and seize a specified computer system.",
      ["PART IV"]), [], facts("procedural_power", "search_seizure", judicial_authorisation="stated", targeted="stated")),
    (("s. 50(1)", "An order under section 48 shall be valid for thirty days.", ["PART IV"]), [],
     facts("safeguard", "search_seizure", time_limit="stated")),
    (("s. 52(1)", "An authorised person may intercept content data in real time.", ["PART IV"]), [],
     facts("procedural_power", "interception")),
    (("s. 53", "A person aggrieved by an order under this Part may apply to the High Court.", ["PART IV"]), [],
     facts("safeguard", "other", oversight="stated")),
]


def test_status_of_a_list_of_judgements():
    assert status_of([]) == "not_addressed"
    assert status_of([True, True]) == "met"
    assert status_of([False, None]) == "not_met"
    assert status_of([True, False]) == "partly_met"


def test_every_ask_is_judged_in_order_with_a_valid_status():
    results = judge(bill_of(BILL))
    assert [r.id for r in results] == list(ASKS) == list(range(1, 16))
    assert {r.status for r in results} <= {"met", "partly_met", "not_met", "not_addressed"}


def test_offence_asks_read_the_labels():
    results = {r.id: r for r in judge(bill_of(BILL))}
    assert results[1].status == "partly_met"                          # a core offence and a content offence
    assert results[2].status == "not_met"                             # false news is not of the narrow kinds
    assert results[3].status == "partly_met"                          # one of two offences states intent
    assert [c.unit for c in results[3].clauses if c.meets is False] == ["s. 22(1)"]
    assert results[5].status == "not_met"                             # no carve-out anywhere


def test_a_power_is_judged_with_safeguards_in_sections_that_name_it_or_its_part():
    results = {r.id: r for r in judge(bill_of(BILL))}
    time_limits = {c.unit: c for c in results[7].clauses}
    assert time_limits["s. 48(1)"].meets is True                      # s. 50(1) names s. 48
    assert [(s.unit, s.how) for s in time_limits["s. 48(1)"].safeguards] == [("s. 50(1)", "names s. 48")]
    assert time_limits["s. 52(1)"].meets is False
    assert results[7].status == "partly_met"
    assert results[6].status == "not_met"                             # interception with no serious-crime limit
    assert results[10].status == "met"                                # warrant, targeted, and a remedy in s. 53
    assert "s. 53" in results[10].clauses[0].why
    assert results[12].status == "not_addressed"                      # no cooperation clauses


def test_cooperation_asks_find_the_refusal_grounds():
    rows = BILL + [
        (("s. 57", "The Central Authority may refuse a request where it concerns a political offence.", ["PART V"]), [],
         facts("cooperation", "mutual_assistance", human_rights_refusal="stated", public_authority_decides="stated")),
    ]
    results = {r.id: r for r in judge(bill_of(rows))}
    assert results[14].status == "met" and results[13].status == "met"
    assert results[12].status == "not_met"


def test_a_clause_is_read_as_cooperation_only_when_its_words_speak_of_another_state():
    rows = BILL + [
        # The facts model read these two as cooperation (Kenya's s. 27(6), Malawi's s. 36(2)): no other state.
        (("s. 27(6)", "A person may apply for an order under his section outside court working hours."), [],
         facts("cooperation", "mutual_assistance")),
        (("s. 36(2)", "A supplier shall acknowledge receipt of the order electronically within forty-eight hours."), [],
         facts("cooperation", "other")),
        # A definition asks nothing of another state, though it names one (the segmenter's unit says what it is).
        (('s. 2 "requesting State"', "“requesting State” means a state requesting for legal assistance."), [],
         facts("cooperation", "mutual_assistance")),
    ]
    assert {r.id: r for r in judge(bill_of(rows))}[12].status == "not_addressed"
    # ... and this one as another kind (Mauritius's s. 20): extradition is cooperation whatever the model reads.
    rows.append((("s. 20", "An offence under this Act shall be considered to be an extraditable crime for which "
                           "extradition may be granted under the Extradition Act."), [], facts("other")))
    bill = bill_of(rows)
    assert [(p.clause.unit, p.power) for p in bill.cooperation] == [("s. 20", "extradition")]
    assert {r.id: r for r in judge(bill)}[12].status == "not_met"
