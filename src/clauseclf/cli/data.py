"""`clauseclf data validate|stats|split|import`: check, count, split and import annotated corpora."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Optional

import typer

from clauseclf.cli._util import user_errors

data_app = typer.Typer(help="Check, count and split annotated corpora (JSONL or CSV).", no_args_is_help=True)


@data_app.command("validate")
@user_errors
def data_validate(path: Annotated[Path, typer.Argument(help="Corpus file, .jsonl or .csv.")],
                  labels: Annotated[Optional[Path], typer.Option(help="Label schema YAML (default: the packaged one).")] = None):
    """Check every record of a corpus against the schema; list each bad record by file and line.

    Example: clauseclf data validate data/corpus/clauses.jsonl
    """
    from clauseclf import corpus
    from clauseclf.config import resolve_path
    from clauseclf.schema import LabelSchema

    count, problems = corpus.validate(path, LabelSchema.from_yaml(labels and resolve_path(labels)))
    for problem in problems:
        typer.echo(str(problem), err=True)
    if problems:
        typer.secho(f"{len(problems)} problem(s) in {count} records of {path}", fg=typer.colors.RED, err=True)
        raise typer.Exit(1)
    typer.echo(f"{path}: {count} records, all valid")


@data_app.command("stats")
@user_errors
def data_stats(path: Annotated[Path, typer.Argument(help="Corpus file, .jsonl or .csv.")],
               labels: Annotated[Optional[Path], typer.Option(help="Label schema YAML (default: the packaged one).")] = None):
    """Print counts per label, kind, language and jurisdiction.

    Example: clauseclf data stats data/corpus/clauses.jsonl
    """
    from clauseclf import corpus
    from clauseclf.config import resolve_path
    from clauseclf.schema import LabelSchema

    counts = corpus.stats(corpus.load_corpus(path, LabelSchema.from_yaml(labels and resolve_path(labels))), LabelSchema.from_yaml(labels and resolve_path(labels)))
    for section, counter in counts.items():
        typer.echo(f"{section}:")
        for key, value in sorted(counter.items(), key=lambda kv: (-kv[1], kv[0])):
            typer.echo(f"  {key:<20} {value}")


@data_app.command("split")
@user_errors
def data_split(path: Annotated[Path, typer.Argument(help="Corpus file, .jsonl or .csv.")],
               out: Annotated[Path, typer.Option("--out", help="Folder for train.jsonl, dev.jsonl, test.jsonl.")],
               dev_fraction: Annotated[float, typer.Option(help="Share of clauses for dev.")] = 0.15,
               test_fraction: Annotated[float, typer.Option(help="Share of clauses for test.")] = 0.15,
               seed: Annotated[int, typer.Option(help="Shuffle seed; the same seed gives the same split.")] = 13,
               force: Annotated[bool, typer.Option(help="Overwrite existing split files.")] = False,
               labels: Annotated[Optional[Path], typer.Option(help="Label schema YAML (default: the packaged one).")] = None):
    """Write train/dev/test splits by jurisdiction: no jurisdiction appears in two splits.

    Example: clauseclf data split data/corpus/clauses.jsonl --out runs/split
    """
    from clauseclf import corpus
    from clauseclf.config import resolve_path
    from clauseclf.outputs import check_writable
    from clauseclf.schema import LabelSchema

    records = corpus.load_corpus(path, LabelSchema.from_yaml(labels and resolve_path(labels)))
    splits = corpus.split_by_jurisdiction(records, dev_fraction, test_fraction, seed)
    # All three are checked before any is written: a refusal leaves no split of a new run beside two old ones.
    targets = {name: check_writable(out / f"{name}.jsonl", force, remedy="pass --force to overwrite the split files")
               for name in splits}
    for name, split in splits.items():
        target = targets[name]
        corpus.write_jsonl(split, target)
        groups = sorted({corpus.group_of(r) for r in split})
        typer.echo(f"{target}: {len(split)} clauses from {len(groups)} jurisdictions")


@data_app.command("import")
@user_errors
def data_import(collection: Annotated[Path, typer.Argument(help="Folder of a checked-out legislation collection, in one of the three layouts below.")],
                jurisdiction: Annotated[str, typer.Option(help="ISO 3166-1 alpha-2 code of the collection's country, or ISO 3166-2 of a subdivision (US-DC).")],
                repository: Annotated[str, typer.Option(help="The public repository it came from, as owner/name.")],
                output: Annotated[Path, typer.Option(help="JSONL file of clause records (text and provenance, no labels).")],
                commit: Annotated[Optional[str], typer.Option(help="Commit read; found with git when the folder is a checkout.")] = None,
                file: Annotated[Optional[list[str]], typer.Option(help="Only these statute files (paths inside the collection; a D.C. Code section file); repeatable.")] = None,
                all_instruments: Annotated[bool, typer.Option(help="Keep instruments outside the relevant fields too.")] = False,
                known: Annotated[Optional[list[Path]], typer.Option(help="Corpus whose clauses are skipped as duplicates; repeatable.")] = None,
                max_chars: Annotated[int, typer.Option(help="Skip (and count) clauses longer than this.")] = 6000,
                lang: Annotated[str, typer.Option(help="ISO 639-1 code of the text; guessed (English or not) when left out.")] = "",
                force: Annotated[bool, typer.Option(help="Overwrite OUTPUT.")] = False):
    """Cut a public bulk legislation collection into clause records to annotate.

    Three layouts are read, told apart by their folders:

    \b
      ansvar-json  data/seed/*.json of an Ansvar-Systems *-law-mcp repository: one statute a file
      dc-code-xml  us/dc/council/code/titles/*/sections/*.xml of DCCouncil/law-xml-codified: the
                   District of Columbia Code, one section a file, a title an instrument
      lims-xml     eng/acts/*.xml and annual-statutes-lois-annuelles/en/ of justicecanada/laws-lois-xml:
                   Justice Laws Canada's consolidated Acts and annual statutes (English)

    Keeps the instruments of the relevant fields (penal and criminal procedure codes, cyber,
    communications, interception, terrorism, media, mutual legal assistance ...), cuts each section
    into the clause units of ANNOTATION.md with the project's segmenter, and writes one record per
    clause with its provenance (repository, commit, path, section) in `source`. History, notes and
    repeal notices are not clause text. Repealed and empty sections, duplicates and overlong clauses
    are counted, malformed files and files in no known layout named; a reserved jurisdiction is refused.

    \b
    Examples:
      clauseclf data import singapore-law-mcp --jurisdiction SG --repository Ansvar-Systems/singapore-law-mcp --output runs/import/sg.jsonl
      clauseclf data import law-xml-codified --jurisdiction US-DC --repository DCCouncil/law-xml-codified --output runs/import/us-dc.jsonl
      clauseclf data import laws-lois-xml --jurisdiction CA --repository justicecanada/laws-lois-xml --output runs/import/ca.jsonl
    """
    from clauseclf import corpus
    from clauseclf.corpus.importer import Provenance, collection_commit, import_collection, refuse_reserved
    from clauseclf.outputs import check_writable

    refuse_reserved(collection, jurisdiction)
    target = check_writable(output, force)
    known_texts = {corpus.text_fingerprint(row["text"]) for path in known or []
                   for _, row, _ in corpus.read_rows(path) if row and isinstance(row.get("text"), str)}
    provenance = Provenance(repository, commit or collection_commit(collection))
    result = import_collection(collection, jurisdiction, provenance, lang=lang, all_instruments=all_instruments,
                               max_chars=max_chars, known_texts=known_texts, files=file)
    corpus.write_jsonl(result.records, target)
    for problem in result.problems:
        typer.echo(f"skipped {problem}", err=True)
    typer.echo(f"{target}: {len(result.records)} clauses from {result.instruments} instruments "
               f"({result.sections} sections read)")
    for reason, count in sorted(result.skipped.items(), key=lambda kv: -kv[1]):
        typer.echo(f"  skipped {count:>6}  {reason}")
