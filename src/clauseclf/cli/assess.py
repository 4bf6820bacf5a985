"""`clauseclf assess BILL`: a bill read against the UN human-rights office's fifteen asks (clauseclf.assess)."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from clauseclf.cli._util import user_errors


@user_errors
def assess_command(
    bill: Annotated[Path, typer.Argument(help="One bill (.txt .pdf .docx .html .xml), or a clause table (.jsonl .csv with a 'text' column) of one bill.")],
    model: Annotated[Path, typer.Option(help="Model folder written by `clauseclf train` (it holds the label model and the clause-facts model).")] = Path("models/default"),
    output: Annotated[Path, typer.Option(help="Folder to write assessment.json, assessment.md and assessment.html into.")] = Path("assessment"),
    force: Annotated[bool, typer.Option(help="Write into an output folder that already holds files.")] = False,
    batch_size: Annotated[int, typer.Option(help="Clauses per forward pass of the label model.")] = 16,
    device: Annotated[str, typer.Option(help="auto (a GPU if there is one), cpu, cuda, cuda:1, ...")] = "auto",
):
    """Assess a whole bill ask by ask: status, the clauses that engage each ask, and for each power the
    safeguards the bill gives it anywhere (its own section, a section that names it, a clause for its Part).

    Statuses: met, partly_met, not_met, not_addressed (data/assessments/GUIDELINE.md). Each is a
    first reading for an analyst to check against the clauses listed with it, not a finding.

    Example: clauseclf assess data/examples/ke_computer_misuse_and_cybercrimes_act_2018.txt --model models/default --output runs/ke-assessment
    """
    from tqdm import tqdm

    from clauseclf.assess.render import check_output, write_assessment
    from clauseclf.assess.run import assess_clauses, load_models, read_bill_clauses

    # Everything that can be checked is checked before the label model's weights load.
    check_output(output, force)
    document, clauses = read_bill_clauses(bill)
    loaded, runtime, facts_model = load_models(model, device=device)
    with tqdm(total=len(clauses), desc=f"labelling {document}", unit="clause") as bar:
        assessment = assess_clauses(document, clauses, loaded, runtime, facts_model, batch_size, bar.update)
    written = write_assessment(assessment, output, force=force)
    typer.echo(f"{len(clauses)} clauses of {document} against {len(assessment.asks)} asks:")
    for ask in assessment.asks:
        typer.echo(f"  {ask.id:>2}. {ask.status:<13} {ask.ask}")
    typer.echo("wrote " + ", ".join(str(path) for path in written))
