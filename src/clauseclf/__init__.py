"""clauseclf: flag the clauses of cybercrime bills that human-rights analysts must look at.

The data flows one way, one sub-package per stage:

    corpus/    read, validate, count, split and import annotated clauses
    segment/   read a bill (txt, pdf, docx, html, Akoma Ntoso) and cut it into clauses
    model/     the base encoder, the model folder, the forward pass, the signal combiner, int8, the model card
    train.py   fine-tune a multi-label classifier, tune its thresholds on dev, write a model folder
    evaluate/  metrics, baselines, calibration, bootstrap intervals, cross-validation, the int8 check
    label/     read inputs, label them streamed and sharded, write predictions with their evidence
    review/    the analyst's side: HTML report, review queue, Label Studio / Argilla exchange
    assess/    a whole bill against the UN human-rights office's 15 asks: clause facts, cross-references,
               the memo as JSON, Markdown and HTML
    cli/       the `clauseclf` command, a thin layer over the above

Shared by all: config.py (the recipe schema), schema.py (labels, clauses, predictions),
errors.py, outputs.py (safe writes), utf8.py (is a user's file UTF-8 text?), lexicon.py and
language.py (word lists, English test).
"""

__version__ = "0.1.0"
