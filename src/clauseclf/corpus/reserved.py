"""Jurisdictions kept for judging the model on laws it has never seen.

Their text never enters the corpus, training data, fixtures or tests, whatever the source
(ISO 3166-1 alpha-2; SA is Saudi Arabia, not South Africa).
"""

RESERVED_JURISDICTIONS = frozenset(
    "UG TZ ET PH SA GB MY BD AU ZM ZW NZ DE ID JM VC GY TT GD AG BB KN KY LC BS IE IL".split()
)
