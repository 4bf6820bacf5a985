"""clauseclf: flag the clauses of cybercrime bills that human-rights analysts must look at.

The data flows one way, one module per step:

    corpus.py      read, validate, count and split annotated clauses
    segment/       read a bill (txt, pdf, docx, html, Akoma Ntoso) and cut it into clauses
    base_models.py resolve the encoder to fine-tune (packaged, local folder or hub name)
    training.py    fine-tune a multi-label classifier and write a model folder
    evaluation.py  score a model folder (and the baselines) on annotated data
    inference.py   label clauses with a model folder, batched and streamed
    cli.py         the `clauseclf` command, a thin layer over the above
"""

__version__ = "0.1.0"
