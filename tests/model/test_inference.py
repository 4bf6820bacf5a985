"""inference.py: input order survives length sorting and threads; int8 labels agree with fp32; CSV streams."""

import csv
import json
import time
from pathlib import Path

import numpy as np
import pytest
import torch

from clauseclf.errors import ConfigError, InputError
from clauseclf.label.files import to_record, write_predictions_csv
from clauseclf.label.stream import label_stream, prefetch
from clauseclf.model.runtime import (CPU_BATCH_SIZE, GPU_BATCH_SIZE, Runtime, _autocast_dtype, encode,
                                     predict_probabilities, prepare)
from clauseclf.model.folder import load_model_folder
from clauseclf.evaluate.quantization import compare_with_fp32
from clauseclf.model.quantize import quantize_loaded
from clauseclf.schema import Clause

EXAMPLES = Path(__file__).resolve().parents[2] / "data" / "examples"


@pytest.fixture(scope="module")
def loaded(tiny_model_dir):
    return load_model_folder(tiny_model_dir)


def varied_texts(corpus_records, count):
    """Clauses whose lengths go up and down, so that sorting really reorders them."""
    texts = [r["text"] for r in corpus_records]
    return [texts[(i * 7) % len(texts)][: 40 + (i * 37) % 400] for i in range(count)]


def test_sorted_batches_give_each_text_its_own_scores(loaded, corpus_records):
    texts = varied_texts(corpus_records, 20)
    together = predict_probabilities(loaded, texts, batch_size=8)
    alone = np.vstack([predict_probabilities(loaded, [t], batch_size=1) for t in texts])
    np.testing.assert_allclose(together, alone, atol=1e-5)


def test_batches_are_sorted_by_tokens_not_characters(loaded, corpus_records):
    # Chinese is short in characters and long in word pieces: sorting by characters would
    # put it in the first batch and pad that batch to its length.
    chinese = next(r["text"] for r in corpus_records if r["lang"] == "zh")
    texts = varied_texts(corpus_records, 23) + [chinese]
    chunk = encode(loaded, texts, batch_size=4)
    lengths = [len(loaded.tokenizer(t, truncation=True, max_length=loaded.max_length)["input_ids"]) for t in texts]
    widths = [batch["input_ids"].shape[1] for batch in chunk.batches]
    assert widths == sorted(widths)
    assert widths == [max(lengths[i] for i in chunk.order[b:b + 4]) for b in range(0, len(texts), 4)]
    assert sorted(chunk.order) == list(range(len(texts)))
    first = chunk.batches[0]
    assert first["attention_mask"].sum(dim=1).tolist() == sorted(lengths)[:4]


def test_stream_keeps_input_order_across_chunks_and_threads(loaded, corpus_records):
    texts = varied_texts(corpus_records, 50)
    clauses = [Clause("doc", f"c{i}", text) for i, text in enumerate(texts)]
    predictions = list(label_stream(loaded, clauses, batch_size=4, chunk_size=7))
    assert [p.clause_id for p in predictions] == [c.clause_id for c in clauses]
    expected = predict_probabilities(loaded, texts)
    got = np.array([[p.scores[n] for n in loaded.label_names] for p in predictions])
    np.testing.assert_allclose(got, expected, atol=1e-4)  # scores are rounded to 4 places


def test_prefetch_yields_in_order_then_raises_where_the_producer_failed():
    def items():
        yield from range(5)
        raise InputError("in.jsonl", "broken", line=6)

    seen = []
    with pytest.raises(InputError, match="in.jsonl:6"):
        for item in prefetch(items(), depth=2):
            seen.append(item)
    assert seen == [0, 1, 2, 3, 4]


def test_prefetch_stops_its_thread_when_the_consumer_stops():
    produced = []

    def items():
        for i in range(1000):
            produced.append(i)
            yield i

    stream = prefetch(items(), depth=2)
    assert next(stream) == 0
    stream.close()
    count = len(produced)
    assert count < 10
    time.sleep(0.3)
    assert len(produced) <= count + 1


def test_cpu_runtime_is_fp32_with_small_batches(loaded):
    runtime = Runtime.for_model(loaded.model)
    assert runtime.device.type == "cpu" and runtime.autocast is None and runtime.batch_size == CPU_BATCH_SIZE <= 32


def test_a_gpu_gets_bf16_or_fp16_autocast_and_large_batches(monkeypatch):
    """The choice, not the GPU run: this machine has no GPU (docs/performance.md)."""
    gpu = torch.device("cuda")
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *args, **kwargs: True)
    assert _autocast_dtype(gpu, "auto") is torch.bfloat16
    monkeypatch.setattr(torch.cuda, "is_bf16_supported", lambda *args, **kwargs: False)
    assert _autocast_dtype(gpu, "auto") is torch.float16
    assert _autocast_dtype(gpu, "fp32") is None and _autocast_dtype(torch.device("cpu"), "auto") is None
    assert Runtime(gpu).batch_size == GPU_BATCH_SIZE > CPU_BATCH_SIZE and Runtime(gpu).workers == 1


def test_side_by_side_batches_give_the_serial_scores_in_order(loaded, corpus_records):
    texts = varied_texts(corpus_records, 30)
    threads = torch.get_num_threads()
    serial = predict_probabilities(loaded, texts, batch_size=4, runtime=Runtime(torch.device("cpu")))
    side_by_side = predict_probabilities(loaded, texts, batch_size=4, runtime=Runtime(torch.device("cpu"), workers=3))
    np.testing.assert_allclose(side_by_side, serial, atol=1e-5)
    assert torch.get_num_threads() == threads  # set to 1 while the workers ran, then given back


def test_prepare_gives_cpu_one_worker_per_torch_thread(tiny_model_dir):
    _, runtime = prepare(load_model_folder(tiny_model_dir), device="cpu")
    assert runtime.workers == torch.get_num_threads()


@pytest.mark.parametrize("options, message", [
    ({"quantize": "int4"}, "--quantize must be one of"),
    ({"quantize": "int8", "precision": "bf16"}, "drop --precision bf16"),
    ({"precision": "fp8"}, "--precision must be one of"),
    ({"device": "not-a-device"}, "is not a device"),
])
def test_prepare_refuses_bad_combinations(tiny_model_dir, options, message):
    with pytest.raises(ConfigError, match=message):
        prepare(load_model_folder(tiny_model_dir), **options)


def bill_or_corpus_texts(corpus_records) -> tuple[str, list[str]]:
    """The sample bill's clauses where another step has put it in data/examples, else corpus clauses."""
    bills = sorted(EXAMPLES.glob("*.txt")) if EXAMPLES.is_dir() else []
    if bills:
        from clauseclf.label.inputs import iter_clauses

        return bills[0].name, [c.text for c in iter_clauses([bills[0]])]
    return "corpus", [r["text"] for r in corpus_records[:120]]


def test_int8_labels_agree_with_fp32(loaded, corpus_records):
    source, texts = bill_or_corpus_texts(corpus_records)
    truth = np.zeros((len(texts), len(loaded.label_names)), dtype=np.int32)
    check = compare_with_fp32(loaded, texts, truth, "int8")
    print(f"int8 vs fp32 on {source}: {check.to_dict()}")
    assert check.clauses == len(texts) > 0
    assert check.max_score_change < 0.05
    assert check.label_agreement >= 0.95


def test_int8_copy_leaves_the_fp32_model_alone(loaded):
    quantized = quantize_loaded(loaded, "int8")
    assert quantized.name == f"{loaded.name}+int8"
    assert type(loaded.model.classifier) is torch.nn.Linear
    assert type(quantized.model.classifier) is not torch.nn.Linear


def test_csv_is_streamed_from_the_jsonl(loaded, tmp_path):
    clauses = [Clause("doc", f"c{i}", f'Clause "{i}", with a comma.', extra={"country": "KE"}) for i in range(3)]
    jsonl = tmp_path / "p.jsonl"
    jsonl.write_text("".join(json.dumps(to_record(p)) + "\n" for p in label_stream(loaded, clauses)))
    write_predictions_csv(jsonl, tmp_path / "p.csv")
    rows = list(csv.DictReader((tmp_path / "p.csv").open(newline="")))
    assert [r["text"] for r in rows] == [c.text for c in clauses]
    assert rows[0]["country"] == "KE" and set(json.loads(rows[0]["scores"])) == set(loaded.label_names)
    assert [p.name for p in tmp_path.iterdir()] and not list(tmp_path.glob(".*.tmp"))


def test_to_record_matches_the_schema(loaded):
    prediction = next(label_stream(loaded, [Clause("d", "c", "A person who accesses a computer.", extra={"x": 1})]))
    assert to_record(prediction) == prediction.to_record()
    assert list(to_record(prediction)) == list(prediction.to_record())
