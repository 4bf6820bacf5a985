"""`label` holds a bounded part of a long input: clauses are read as they are labelled, and the summary keeps a
bounded list of flagged clauses. (Peak memory itself is not measured: a test of RSS on a busy machine is noise.)"""

from __future__ import annotations

from clauseclf.label.files import label_to_file
from clauseclf.model.folder import load_model_folder
from clauseclf.schema import Clause

CHUNK = 16
# label_stream holds the chunk being written, one being scored and two encoded ahead (prefetch depths 1 and 2),
# and the reading thread one more chunk: the input is never read further ahead than this.
MOST_AHEAD = 6 * CHUNK


def test_a_long_input_is_read_as_it_is_labelled_and_the_summary_stays_bounded(tiny_model_dir, tmp_path):
    read, done, ahead = [0], [0], []

    def clauses():
        for number in range(40 * CHUNK):
            read[0] += 1
            yield Clause(doc_id="long", clause_id=f"long:{number}", text=f"Section {number}. A person who hacks "
                         "a computer system commits an offence.", unit=str(number), heading=[], start=None, end=None)

    def written(count):  # called as each prediction is written: how far ahead of it has the input been read?
        done[0] += count
        ahead.append(read[0] - done[0])

    summary = label_to_file(load_model_folder(tiny_model_dir), clauses(), tmp_path / "out.jsonl", batch_size=8,
                            chunk_size=CHUNK, keep_flagged=3, on_progress=written)
    assert summary.clauses == 40 * CHUNK and len(ahead) == 40 * CHUNK
    assert max(ahead) <= MOST_AHEAD, f"read {max(ahead)} clauses ahead of what was written"
    assert len(summary.flagged) <= 3
