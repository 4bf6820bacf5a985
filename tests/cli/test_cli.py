"""Every command's --help reads like documentation: a description and a runnable example."""

import json
import os

import pytest
import typer
from typer.testing import CliRunner

from clauseclf.cli import app
from clauseclf.errors import OutputExistsError

from conftest import CORPUS, REPO_ROOT, TINY_CONFIG

runner = CliRunner()


def command_paths(typer_app: typer.Typer, prefix=()):
    click_group = typer.main.get_command(typer_app)

    def walk(command, path):
        subcommands = getattr(command, "commands", None)
        if subcommands:
            for name, sub in subcommands.items():
                yield from walk(sub, path + (name,))
        else:
            yield path

    return list(walk(click_group, prefix))


COMMANDS = command_paths(app)


def test_top_level_help_lists_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for name in ("train", "evaluate", "label", "data"):
        assert name in result.output


@pytest.mark.parametrize("path", COMMANDS, ids=lambda p: " ".join(p))
def test_each_command_help_has_an_example(path):
    result = runner.invoke(app, [*path, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    assert "Example" in result.output and "clauseclf" in result.output


def test_data_validate_exit_codes(tmp_path):
    good = runner.invoke(app, ["data", "validate", str(CORPUS)])
    assert good.exit_code == 0 and "all valid" in good.output
    bad = tmp_path / "bad.jsonl"
    bad.write_text('{"text": "x", "labels": ["nonsense"]}\n')
    result = runner.invoke(app, ["data", "validate", str(bad)])
    assert result.exit_code == 1 and f"{bad}:1: unknown label(s) nonsense" in result.output


def test_data_stats_prints_counts():
    result = runner.invoke(app, ["data", "stats", str(CORPUS)])
    assert result.exit_code == 0
    assert "core_cybercrime" in result.output and "jurisdiction:" in result.output


def test_finished_outputs_are_refused_without_force(tmp_path):
    from clauseclf.outputs import check_output_folder

    model = tmp_path / "model"
    (model / "checkpoints").mkdir(parents=True)
    finished = ("model.safetensors", "metrics.json")
    assert check_output_folder(model, False, finished) == model  # checkpoints alone: an interrupted run resumes
    (model / "metrics.json").write_text("{}")
    with pytest.raises(OutputExistsError, match="--force"):
        check_output_folder(model, False, finished)
    assert check_output_folder(model, True, finished) == model


COLLECTION = REPO_ROOT / "tests" / "fixtures" / "collections" / "ansvar-sg"
# Each command that writes, the output it refuses to overwrite (a file, or a folder holding `report.md`), and
# its remedy: only options the command has (--resume, say, was offered to commands that have none).
REFUSALS = {
    "train": (lambda out, model: ["train", str(TINY_CONFIG), "--output", str(out)], "folder",
              "it holds a finished model: pass --force to train again and replace it"),
    "evaluate": (lambda out, model: ["evaluate", str(model), str(CORPUS), "--output", str(out)], "folder",
                 "pass --force to overwrite its reports"),
    "crossval": (lambda out, model: ["crossval", str(TINY_CONFIG), "--output", str(out), "--baselines-only"],
                 "folder", "pass --force to write into it: the fold scores saved there are reused where the "
                           "recipe's score-shaping settings are unchanged, and retrained where not"),
    "label": (lambda out, model: ["label", str(REVIEW_PREDICTIONS), "--model", str(model), "--output", str(out)],
              "file", "pass --force to overwrite it"),
    "label --dataset": (lambda out, model: ["label", "--dataset", str(REVIEW_PREDICTIONS), "--model", str(model),
                                            "--output", str(out)],
                        "file", "pass --force to replace it (only a dataset `label --dataset` wrote)"),
    "report": (lambda out, model: ["report", str(REVIEW_PREDICTIONS), "--output", str(out)], "file",
               "pass --force to overwrite it"),
    "assess": (lambda out, model: ["assess", str(REPO_ROOT / "data" / "examples" /
                                                 "ke_computer_misuse_and_cybercrimes_act_2018.txt"),
                                   "--model", str(model), "--output", str(out)], "folder", "pass --force to write into it"),
    "export": (lambda out, model: ["export", str(REVIEW_PREDICTIONS), "--format", "argilla", "--output", str(out)],
               "file", "pass --force to overwrite it"),
    "import": (lambda out, model: ["import", str(REVIEW_PREDICTIONS), "--format", "argilla", "--output", str(out)],
               "file", "pass --force to overwrite it"),
    "review export": (lambda out, model: ["review", "export", "--db", str(REVIEW_PREDICTIONS), "--output", str(out)],
                      "file", "pass --force to overwrite it"),
    "data split": (lambda out, model: ["data", "split", str(CORPUS), "--out", str(out.parent)], "dev.jsonl",
                   "pass --force to overwrite the split files"),
    "data import": (lambda out, model: ["data", "import", str(COLLECTION), "--jurisdiction", "SG", "--repository",
                                        "Ansvar-Systems/singapore-law-mcp", "--commit", "0" * 40,
                                        "--output", str(out)], "file", "pass --force to overwrite it"),
}


@pytest.mark.parametrize("name", sorted(REFUSALS))
def test_every_command_that_writes_refuses_an_existing_output_naming_only_its_own_options(name, tmp_path,
                                                                                          tiny_model_dir):
    command, kind, remedy = REFUSALS[name]
    output = tmp_path / "out"
    if kind == "folder":
        output.mkdir()
        (output / "report.md").write_text("old")
        (output / "metrics.json").write_text("{}")
    elif kind == "file":
        output.write_text("old")
    else:  # one of several files the command writes: data split's dev.jsonl
        output.mkdir()
        (output / kind).write_text("old")
        output = output / kind
    result = runner.invoke(app, command(output, tiny_model_dir))
    assert result.exit_code == 2, result.output
    assert result.output.strip().splitlines()[-1] == f"error: {output}: already exists ({remedy})"
    words = command(output, tiny_model_dir)[:2]
    help_text = runner.invoke(app, (words[:2] if words[0] in ("data", "review") else words[:1]) + ["--help"]).output
    for option in {word.strip(".,:;()`") for word in remedy.split() if word.startswith("--")}:
        assert option in help_text, f"{name} offers {option}, which it does not have"
    assert sorted(p.name for p in output.parent.iterdir()) == sorted(
        ["out"] if kind in ("folder", "file") else [kind]), "a refused run wrote beside its output"


@pytest.mark.parametrize("name, message", [
    ("train", "interrupted: run the same command again to resume from the last checkpoint"),
    ("crossval", "interrupted: run the same command with --force to reuse the folds already scored"),
    ("label", "interrupted: run the same command with --resume to finish"),
    ("report", "interrupted"),
])
def test_ctrl_c_says_how_to_finish_in_options_the_command_has(name, message, tmp_path, tiny_model_dir, monkeypatch):
    import clauseclf.outputs
    import clauseclf.review.report

    def interrupt(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(clauseclf.outputs, "check_output_folder", interrupt)
    monkeypatch.setattr(clauseclf.outputs, "check_writable", interrupt)
    monkeypatch.setattr(clauseclf.review.report, "check_writable", interrupt)  # imported by name there
    result = runner.invoke(app, REFUSALS[name][0](tmp_path / "out", tiny_model_dir))
    assert result.exit_code == 130 and result.output.strip().splitlines()[-1] == message


def test_review_serve_refuses_a_port_out_of_range_before_reading_anything(tmp_path):
    db = tmp_path / "review.sqlite"
    predictions = REPO_ROOT / "tests" / "fixtures" / "review" / "predictions.jsonl"
    result = runner.invoke(app, ["review", "serve", str(predictions), "--db", str(db), "--port", "70000"])
    assert result.exit_code == 2 and "70000" in result.output and "65535" in result.output
    assert "Traceback" not in result.output and not db.exists()


def test_train_refuses_a_corpus_that_cannot_make_a_dev_split_before_training(tmp_path, corpus_records):
    # Everything trained, then calibration found no dev clauses and raised a KeyError.
    corpus = tmp_path / "one.jsonl"
    corpus.write_text("".join(json.dumps({**r, "jurisdiction": "KE"}) + "\n" for r in corpus_records[:40]))
    model = tmp_path / "model"
    result = runner.invoke(app, ["train", str(TINY_CONFIG), "--output", str(model), "--set", f"data.corpus={corpus}"])
    assert result.exit_code == 2, result.output
    error = result.output.strip().splitlines()[-1]
    assert error.startswith("error: ") and str(corpus) in error
    assert "40 clauses from 1 jurisdiction leave the dev and test splits empty" in error
    assert not model.exists()


REVIEW_PREDICTIONS = REPO_ROOT / "tests" / "fixtures" / "review" / "predictions.jsonl"
WRITERS = {
    "label": lambda out, model: ["label", str(REVIEW_PREDICTIONS), "--model", str(model), "--output", str(out)],
    "report": lambda out, model: ["report", str(REVIEW_PREDICTIONS), "--output", str(out)],
    "export": lambda out, model: ["export", str(REVIEW_PREDICTIONS), "--format", "label-studio", "--output", str(out)],
}


@pytest.mark.parametrize("command", sorted(WRITERS))
@pytest.mark.parametrize("case", ["a folder", "under a file"])
def test_an_output_that_cannot_be_a_file_is_refused_before_the_work(command, case, tiny_model_dir, tmp_path,
                                                                    monkeypatch):
    # Each wrote its whole output beside the path and then failed with IsADirectoryError or FileExistsError.
    import clauseclf.model.folder

    monkeypatch.setattr(clauseclf.model.folder, "load_model_folder",
                        lambda path: pytest.fail("the model loaded before the output was checked"))
    if case == "a folder":
        output = tmp_path / "out"
        output.mkdir()
        expected = f"{output}: is a folder"
    else:
        (tmp_path / "notes.txt").write_text("a file")
        output = tmp_path / "notes.txt" / "out.jsonl"
        expected = f"{output}: {tmp_path / 'notes.txt'} is a file, not a folder"
    result = runner.invoke(app, WRITERS[command](output, tiny_model_dir) + ["--force"])
    assert result.exit_code == 2, result.output
    error = result.output.strip().splitlines()[-1]
    assert error.startswith(f"error: {expected}"), error
    assert "Traceback" not in result.output


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0, reason="root writes in any folder")
def test_an_output_in_a_folder_that_cannot_be_written_is_refused(tmp_path):
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o555)
    try:
        result = runner.invoke(app, WRITERS["report"](locked / "report.html", None))
    finally:
        locked.chmod(0o755)
    assert result.exit_code == 2 and f"cannot write in {locked}" in result.output
