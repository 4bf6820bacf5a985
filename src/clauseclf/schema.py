"""The records that flow between steps: label schema, clauses and predictions.

Each is a plain dataclass that turns into one JSON object, so that every arrow of
the data flow is a file a person can open.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from clauseclf.errors import ConfigError

# configs/ sits at the repository root; the package is installed editable from it.
REPO_ROOT = Path(__file__).resolve().parents[2]
CONFIGS_DIR = REPO_ROOT / "configs"
# Shipped inside the package, so that an installed wheel (not only a checkout) knows its labels.
DEFAULT_LABELS_FILE = Path(__file__).with_name("labels.yaml")

KINDS = ("offence", "procedural_power", "cooperation", "definition", "safeguard", "other")
# The `safeguards` facts of ANNOTATION.md, recorded for powers, cooperation and the safeguards of either.
SAFEGUARD_KINDS = ("procedural_power", "cooperation", "safeguard")
POWERS = ("interception", "traffic_data", "retention", "search_seizure", "production_order", "preservation",
          "real_time_collection", "decryption_assistance", "blocking_takedown", "mutual_assistance", "extradition",
          "other")
SAFEGUARD_FACTS = {
    "judicial_authorisation": ("stated", "after_the_fact", "not_stated"),
    **{fact: ("stated", "not_stated") for fact in (
        "reasonable_suspicion", "serious_crime_only", "time_limit", "targeted", "necessity_proportionality",
        "privilege_protected", "oversight", "dual_criminality", "human_rights_refusal", "public_authority_decides")},
}


@dataclass(frozen=True)
class Label:
    name: str
    description: str


@dataclass(frozen=True)
class LabelSchema:
    """The ordered label list; output unit i of a model is `labels[i]`."""

    labels: tuple[Label, ...]

    @property
    def names(self) -> list[str]:
        return [label.name for label in self.labels]

    @classmethod
    def from_yaml(cls, path: str | Path | None = None) -> "LabelSchema":
        """The schema of a YAML file; None or "" means the packaged one (labels.yaml)."""
        path = path or DEFAULT_LABELS_FILE
        if not Path(path).is_file():
            raise ConfigError(str(path), ["file not found (give a label schema YAML, or none for the packaged one)"])
        with open(path, encoding="utf-8") as handle:
            try:
                raw = yaml.safe_load(handle) or {}
            except yaml.YAMLError as error:
                raise ConfigError(str(path), [f"not valid YAML ({' '.join(str(error).split())})"]) from None
        entries = raw.get("labels") if isinstance(raw, dict) else None
        if not isinstance(entries, list) or not entries:
            raise ConfigError(str(path), ["expected a non-empty list under 'labels:'"])
        problems = [f"labels[{i}] needs 'name' and 'description'" for i, e in enumerate(entries)
                    if not isinstance(e, dict) or "name" not in e or "description" not in e]
        if problems:
            raise ConfigError(str(path), problems)
        return cls(tuple(Label(str(e["name"]), str(e["description"])) for e in entries))

    @classmethod
    def from_names(cls, names: list[str]) -> "LabelSchema":
        return cls(tuple(Label(name, "") for name in names))


@dataclass
class Clause:
    """One unit of a bill, as the segmenter cut it (or as a JSONL/CSV row gave it).

    `start`/`end` are character offsets into the document's extracted text;
    `extra` carries the input row's other columns through to the prediction.
    """

    doc_id: str
    clause_id: str
    text: str
    unit: str = ""
    heading: list[str] = field(default_factory=list)
    start: int | None = None
    end: int | None = None
    extra: dict = field(default_factory=dict)


@dataclass
class Prediction:
    """One JSON line of `clauseclf label` output, in input order."""

    doc_id: str
    clause_id: str
    unit: str
    heading: list[str]
    text: str
    start: int | None
    end: int | None
    scores: dict[str, float]
    labels: list[str]
    needs_review: bool
    model: dict[str, str]
    evidence: dict[str, list[dict]] = field(default_factory=dict)
    facts: dict[str, str | None] | None = None
    """For a clause labelled `overbroad`, the model folder's clause-facts model's reading of it: {"kind": ...,
    "power": ...} (power None unless a power, cooperation or safeguard clause). The asks such a clause engages
    follow from them (assess/links.py). None for other clauses, and where the folder has no facts model."""
    tokens: int | None = None
    """Word pieces of the whole clause, as the model's tokenizer cuts it (its two markers included)."""
    tokens_read: int | None = None
    """How many of them the model read: under `tokens`, it labelled the clause from its start alone (the evidence
    and the lexicon signals read the whole clause)."""
    extra: dict = field(default_factory=dict)

    @property
    def read_in_part(self) -> bool:
        return self.tokens is not None and self.tokens_read is not None and self.tokens_read < self.tokens

    def to_record(self) -> dict:
        record = asdict(self)
        extra = record.pop("extra")
        # Carried-through input columns never overwrite a prediction field.
        for key, value in extra.items():
            record.setdefault(key, value)
        return record
