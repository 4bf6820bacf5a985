"""`python -m clauseclf.cli` (and `accelerate launch -m clauseclf.cli`) runs the `clauseclf` command."""

from clauseclf.cli import main

main()
