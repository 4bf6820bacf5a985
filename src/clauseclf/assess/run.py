"""From a bill on disk to its assessment: read and cut it (as `clauseclf label` does), label every
clause, read the clause facts, judge the asks. `clauseclf assess` and scripts/assessment_figures.py
both go through here.

    loaded, runtime, facts_model = load_models("models/default")
    bill, clauses = read_bill_clauses(Path("bill.pdf"))
    assessment = assess_clauses(bill, clauses, loaded, runtime, facts_model)
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from clauseclf.assess.asks import judge
from clauseclf.assess.assessment import Assessment, read_bill
from clauseclf.assess.facts import FactsModel
from clauseclf.errors import InputError
from clauseclf.schema import Clause


def read_bill_clauses(path: Path) -> tuple[str, list[Clause]]:
    """The bill's document id and clauses; a file or table that holds no clause, or several documents, is refused."""
    from clauseclf.label.inputs import check_inputs, read_inputs

    clauses = list(read_inputs(check_inputs([path])))
    if not clauses:
        raise InputError(path, "no clause found in it", hint="check the cut with `clauseclf segment`")
    documents = sorted({c.doc_id for c in clauses})
    if len(documents) > 1:
        shown = ", ".join(documents[:5]) + (", ..." if len(documents) > 5 else "")
        raise InputError(path, f"holds {len(documents)} documents ({shown})",
                         hint="assess one bill at a time: give one file, or a table of one bill's clauses")
    return documents[0], clauses


def load_models(model: str | Path, device: str = "auto"):
    """The label model (ready to run) and the clause-facts model of a model folder, each loaded once, on the
    same device; the facts first, so that a folder without them is refused before the label weights load."""
    from clauseclf.model.folder import check_model_folder, load_model_folder
    from clauseclf.model.runtime import prepare, resolve_device

    check_model_folder(model)
    target = resolve_device(device)
    facts_model = FactsModel.load(model, device=target)
    loaded, runtime = prepare(load_model_folder(model), device=target, precision="auto", quantize="none")
    return loaded, runtime, facts_model


def assess_clauses(bill: str, clauses: list[Clause], loaded, runtime, facts_model: FactsModel,
                   batch_size: int = 16, on_progress: Callable[[int], object] | None = None) -> Assessment:
    from clauseclf.label.stream import label_stream

    predictions = []
    for prediction in label_stream(loaded, clauses, batch_size=batch_size, runtime=runtime):
        predictions.append(prediction)
        if on_progress:
            on_progress(1)
    return assess(clauses, predictions, facts_model, bill, loaded.identity)


def assess(clauses: list[Clause], predictions: list, facts_model: FactsModel, bill: str,
           model: dict | None = None) -> Assessment:
    """The assessment of a bill's clauses, given the label model's predictions for them (same order)."""
    state = read_bill(clauses, predictions, facts_model.predict([c.text for c in clauses]))
    return Assessment(bill, len(clauses), model or {}, judge(state))
