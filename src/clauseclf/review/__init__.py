"""Put flagged clauses in front of human reviewers and learn from their verdicts.

- records.py: read `clauseclf label` predictions, rank them by risk, and turn a
  verdict back into an annotated corpus record.
- report.py: one self-contained HTML report a person opens.
- store.py: the SQLite file that keeps every verdict (one commit per verdict).
- server.py, page.py: the local review queue (a WSGI app served by waitress).
- interop.py: Label Studio and Argilla files out and back in; the formats in
  label_studio.py and argilla.py, what they share (strict import bookkeeping)
  in exchange.py.
- the `clauseclf report|export|import|review` commands are in cli/review.py.
"""
