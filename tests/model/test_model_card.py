"""The model card quotes the default recipe's cross-validated figures, for the recipe they were measured on."""

from clauseclf.model import card
from clauseclf.config import load_train_config
from conftest import REPO_ROOT

DEFAULT = REPO_ROOT / "configs" / "train" / "default.yaml"


def test_the_figures_are_for_the_recipe_in_default_yaml():
    """Changing configs/train/default.yaml means rerunning crossval and scripts/held_out_figures.py."""
    figures = card.default_recipe_held_out()
    settings = load_train_config(DEFAULT).to_dict()
    assert figures["recipe"] == {f"{a}.{b}": settings[a][b] for a, b in card.RECIPE_KEYS}
    main = figures["systems"]["default recipe (fine-tune + signals)"]
    assert set(main) == set(figures["labels"]) | {"macro"}
    assert all(low <= value <= high for value, low, high in main.values())


def test_a_model_of_another_recipe_is_told_so():
    figures = card.default_recipe_held_out()
    same = "\n".join(card._held_out_section(load_train_config(DEFAULT)))
    other = "\n".join(card._held_out_section(load_train_config(DEFAULT, ["training.epochs=4"])))
    macro = figures["systems"]["default recipe (fine-tune + signals)"]["macro"][0]
    assert "trained with the default recipe" in same and f"{macro:.2f}" in same
    countries = figures["held_out_countries"]  # the five countries no recipe trains on, from `clauseclf evaluate`
    assert f"scored macro-F1 {countries['macro']:.2f}" in same and f"{countries['clauses']} statute clauses" in same
    assert "not trained with the default recipe" in other
