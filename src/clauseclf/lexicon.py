"""Word lists drawn from ANNOTATION.md and the human-rights analyses of cybercrime laws.

One place for the words that carry a decision, shared by the keyword baseline
(evaluate/baselines.py), the explicit signals fed to the model, and the evidence shown to
reviewers. Each list says which standard it rests on, so a reviewer can read the
`why` of a flag.

>>> [s.text for s in find_spans("A person who knowingly accesses data commits an offence.", MENTAL_ELEMENT)]
['knowingly']
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import Iterator


@dataclass(frozen=True)
class Lexicon:
    """A named list of regular expressions, with the standard that makes them matter.

    Patterns are written in lower case: they are matched against the lower-cased clause.
    """

    name: str
    why: str
    patterns: tuple[str, ...]

    @cached_property
    def regex(self) -> re.Pattern:
        """Case-sensitive, for lower-cased text: 4-7x faster than re.IGNORECASE on a long alternation."""
        return re.compile(self._alternation)

    @cached_property
    def regex_ignoring_case(self) -> re.Pattern:
        return re.compile(self._alternation, re.IGNORECASE)

    @property
    def _alternation(self) -> str:
        return r"\b(?:" + "|".join(self.patterns) + r")\b"


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int
    why: str


def _matches(text: str, lexicon: Lexicon) -> Iterator[re.Match]:
    """Matches with offsets into `text`. Lower-casing keeps offsets unless a letter lower-cases to two
    (Turkish 'İ' -> 'i̇'): such a text is matched with re.IGNORECASE instead."""
    lowered = text.lower()
    if len(lowered) == len(text):
        return lexicon.regex.finditer(lowered)
    return lexicon.regex_ignoring_case.finditer(text)


def find_spans(text: str, lexicon: Lexicon) -> list[Span]:
    """Every non-overlapping match of the lexicon in `text`, with exact offsets."""
    return [Span(text[m.start():m.end()], m.start(), m.end(), lexicon.why) for m in _matches(text, lexicon)]


def mentions(text: str, lexicon: Lexicon) -> bool:
    return next(_matches(text, lexicon), None) is not None


MENTAL_ELEMENT = Lexicon(
    "mental_element",
    "A mental element is present (ANNOTATION.md, missing_intent; UN OHCHR: offences must require intent).",
    (
        r"intentional(?:ly)?", r"with (?:the )?intent(?:ion)? (?:to|that)",
        r"with (?:the )?intention of", r"with (?:the )?knowledge (?:that|of)", r"intends?", r"knowing(?:ly)?", r"knows?", r"wil(?:l)?ful(?:ly)?", r"deliberately", r"dishonest(?:ly)?",
        r"fraudulent(?:ly)?", r"malicious(?:ly)?", r"reckless(?:ly)?", r"for the purpose of", r"with a view to",
        r"purposely", r"corruptly", r"having reason to believe", r"in bad faith",
        # Common equivalents in the corpus' other languages.
        r"intencionalmente", r"dolosamente", r"intentionnellement", r"sciemment", r"umyślnie",
        r"умышленн\w*", r"vorsätzlich", r"dolosamente", r"kasten",
    ),
)

# A negligence standard does not count as a mental element (ANNOTATION.md, hard cases).
NEGLIGENCE = Lexicon(
    "negligence",
    "A negligence standard ('ought to know') is not a mental element (ANNOTATION.md, hard cases).",
    (r"ought (?:reasonably )?to (?:have )?know(?:n)?", r"has reason to believe", r"negligent(?:ly)?"),
)

OFFENCE_CREATING = Lexicon(
    "offence_creating",
    "Offence-creating wording: the clause makes conduct a crime (ANNOTATION.md, missing_intent applies only here).",
    (
        r"commits? an offen[cs]e", r"(?:is|shall be) guilty of an? (?:offen[cs]e|crime|misdemeanou?r|felony)",
        r"(?:is|shall be) liable (?:on|upon) (?:summary )?conviction", r"shall be punish(?:ed|able)",
        r"(?:is|shall be) punishable", r"shall be (?:sentenced|imprisoned|fined)", r"is an offen[cs]e",
        r"shall be liable to (?:a fine|imprisonment)", r"(?:a|any) person (?:who|shall not)",
        r"whoever", r"any person who", r"no person shall", r"it is unlawful",
    ),
)

# Offence-creating formulas OFFENCE_CREATING lacks, read by the signals (model/signals.py) and not by the keyword
# baseline, which keeps its figures: common statutory openings and penalty verbs.
OFFENCE_CREATING_MORE = Lexicon(
    "offence_creating_more",
    "Offence-creating wording: the clause makes conduct a crime (ANNOTATION.md, missing_intent applies only here).",
    (
        r"anyone who", r"no (?:person|one) may", r"(?:a|any) person (?:must|may) not", r"it shall be unlawful",
        r"(?:can|may|will) be punished", r"punished (?:by|with) (?:imprisonment|a fine|deprivation)",
        r"the act by which", r"shall be fined", r"is a (?:crime|misdemeanou?r|felony)",
        r"(?:a|any) person (?:is guilty of|commits)", r"offen[cs]e defined", r"as (?:a )?criminal offen[cs]es?",
        r"the penalty shall be", r"shall be subject to the same (?:penalty|punishment)", r"under pain of",
    ),
)

VAGUE_TERMS = Lexicon(
    "vague_terms",
    "Undefined open-textured term that leaves room for arbitrary application "
    "(ANNOTATION.md, overbroad; UN OHCHR and Article 19 analyses of cybercrime laws).",
    (
        r"public order", r"public morals?", r"morality", r"moral(?:s)?", r"decency", r"national (?:unity|security|interest)",
        r"unity of the (?:state|nation)", r"social (?:order|stability|harmony)", r"false", r"fake", r"misleading",
        r"rumou?rs?", r"annoyance", r"inconvenience", r"insult(?:s|ing)?", r"offensive", r"grossly offensive",
        r"menacing", r"extremis[mt]", r"harm(?:ful)?", r"any information", r"any data", r"by any means",
        r"any other (?:purpose|means|matter|act)", r"without lawful excuse", r"without (?:just|reasonable) cause",
        r"prejudicial", r"undermin(?:e|es|ing)", r"disturb(?:s|ing)?(?: the)? (?:public|peace)", r"indecent",
        r"obscene", r"anxiety", r"ill[- ]will", r"hatred", r"dignity", r"reputation", r"incit(?:e|es|ement)",
        r"glorif(?:y|ies|ication)", r"propaganda", r"sovereignty", r"any person", r"or otherwise",
        r"as (?:the minister|he|she|it) (?:may|deems|considers)", r"deems? (?:fit|necessary|appropriate)",
    ),
)

# Investigative powers with no limit: sweeping reach without judicial control.
UNLIMITED_POWER = Lexicon(
    "unlimited_power",
    "Investigative power without a limit of scope or duration, reasonable-suspicion threshold or judicial "
    "authorisation (ANNOTATION.md, overbroad; UN OHCHR on procedural powers).",
    (
        r"without (?:a )?warrant", r"without (?:a )?court order", r"any (?:computer|device|system|data|traffic data)",
        r"all (?:data|traffic data|communications)", r"real[- ]time", r"intercept(?:ion)?", r"retain", r"retention",
        r"at any time", r"such other", r"as may be (?:necessary|required)", r"require any person",
        r"block(?:ing)?", r"take ?down", r"remov(?:e|al) (?:of )?(?:content|information)",
    ),
)

# Who holds an investigative or blocking power outside the courts (for the signal "executive power").
EXECUTIVE_POWER = Lexicon(
    "executive_power",
    "A power held by the police, a ministry or a regulator rather than a court (ANNOTATION.md, overbroad: "
    "investigative powers with no judicial authorisation; UN OHCHR on procedural powers).",
    (
        r"police officers?", r"law enforcement (?:agency|agencies|officers?|authorit(?:y|ies))",
        r"authori[sz]ed (?:officers?|persons?)", r"(?:competent|investigating|regulatory) authorit(?:y|ies)",
        r"the authority", r"(?:any )?minister", r"(?:central |state |the )?government", r"commissioner",
        r"security (?:service|agency|division)", r"intelligence", r"upon (?:a |written )?request", r"on request",
        r"when called upon", r"by (?:written )?notice",
    ),
)

# Limits the annotation looks for on a power: threshold, proportionality, duration, scope.
POWER_SAFEGUARD = Lexicon(
    "power_safeguard",
    "A limit on a power: reasonable-suspicion threshold, necessity and proportionality, a fixed duration or "
    "a specified scope (ANNOTATION.md, overbroad; UN OHCHR on procedural powers).",
    (
        r"reasonable grounds", r"reasonabl[ey] (?:believe|suspect|suspicion)", r"proportionat\w*",
        r"strictly necessary", r"not (?:to )?exceed(?:ing)? \w+ (?:days|months|hours)", r"for a period of",
        r"specified (?:computer|data|person|period)", r"dual criminality", r"may refuse", r"human rights",
        r"privilege", r"oversight",
    ),
)

EXPRESSION = Lexicon(
    "expression",
    "The offence turns on the meaning of a message, not an act on a system (ANNOTATION.md, content_offence; "
    "ICCPR art. 19).",
    (
        r"false (?:news|information|statement|data)s?", r"fake news", r"rumou?rs?", r"insult(?:s|ing)?", r"defam\w*",
        r"libel", r"slander", r"offensive", r"indecent", r"obscen\w*", r"pornograph\w*", r"child sexual abuse",
        r"sexual(?:ly)? explicit", r"intimate image", r"morals?", r"morality", r"extremis[mt]\w*", r"terroris[mt]\w*",
        r"propaganda", r"glorif\w*", r"hate speech", r"hatred", r"blasphem\w*", r"religio\w*", r"reputation",
        r"dignity", r"incit\w*", r"threat\w*", r"harass\w*", r"cyberstalk\w*", r"bully\w*", r"publish\w*",
        r"messages?", r"communicat\w*", r"content", r"annoyance", r"menacing", r"racis[mt]\w*", r"xenophob\w*",
        r"genocide", r"sedit\w*",
    ),
)

SYSTEM_ACT = Lexicon(
    "system_act",
    "An act on a computer system or data: access, interception, interference, misuse of devices, computer fraud "
    "or forgery (ANNOTATION.md, core_cybercrime; Budapest Convention arts. 2-8).",
    (
        r"access(?:es|ed|ing)?", r"intercept\w*", r"interfer\w*", r"damag\w*", r"delet\w*", r"deteriorat\w*",
        r"alter\w*", r"suppress\w*", r"hinder\w*", r"obstruct\w*", r"modif\w*", r"erases?", r"destroys?",
        r"computer system", r"computer data", r"computer program", r"malware", r"virus", r"password",
        r"access code", r"security measure", r"forg\w*", r"computer[- ]related fraud", r"identity theft",
        r"denial of service", r"hack\w*", r"unauthori[sz]ed", r"without (?:right|authori[sz]ation)",
        r"computer", r"data", r"system", r"network",
    ),
)

ALL_LEXICONS = (MENTAL_ELEMENT, NEGLIGENCE, OFFENCE_CREATING, VAGUE_TERMS, UNLIMITED_POWER, EXPRESSION, SYSTEM_ACT)

# Offence-creating wording of treaties and model laws, which oblige states rather than address a person
# ("make it a criminal offence to"); label/evidence.py reads it with OFFENCE_CREATING. A list of its own, so that
# the keyword baseline, which reads OFFENCE_CREATING, keeps its figures.
CRIMINALISING = Lexicon(
    "criminalising",
    "Offence-creating wording: the clause makes conduct a crime (ANNOTATION.md, missing_intent applies only here).",
    (
        r"(?:establish|make) (?:it )?(?:as )?(?:a )?criminal offen[cs]es?", r"constitutes? an offen[cs]e",
        r"shall be (?:an )?offen[cs]es?", r"(?:is|are|shall be) (?:prohibited|forbidden)", r"punishable (?:by|with)",
        r"(?:is|shall be) (?:criminally )?liable", r"shall be penali[sz]ed",
    ),
)

# Penalty and offence-creating wording of the corpus' other languages, and English penalty formulas that
# OFFENCE_CREATING lacks. A list of its own (model/signals.py reads it), so that the keyword baseline keeps its
# figures; drawn from the standard penalty formulas of each language's criminal statutes.
OFFENCE_CREATING_MULTILINGUAL = Lexicon(
    "offence_creating_multilingual",
    "Offence-creating or penalty wording: the clause makes conduct a crime (ANNOTATION.md, missing_intent "
    "applies only here).",
    (
        # English penalty formulas.
        r"liable (?:on|upon) (?:summary )?conviction", r"(?:is|shall be) liable to (?:a )?(?:fine|imprisonment|penalty)",
        r"imprisonment (?:for a term|not exceeding|of not more than)", r"shall be sentenced",
        r"guilty of an? (?:offen[cs]e|crime|misdemeanou?r|felony)", r"(?:a )?fine (?:not exceeding|of not more than)",
        # French, Spanish, Portuguese, Italian.
        r"(?:est|sont|sera|seront) puni(?:e|s|es)?", r"(?:será|serán|es|son) (?:castigad|sancionad|penad)[oa]s?",
        r"(?:incurrirá|incurre) en", r"pena de (?:prisión|reclusión|multa|prisão|reclusão|detenção)",
        r"(?:será|serão|é) punid[oa]s?", r"(?:è|sono|sarà) punit[oi]", r"punit[oi] con la reclusione",
        r"reclusione da", r"commet(?:te)? (?:une|un) (?:infraction|délit)",
        # Dutch, German, Polish, Lithuanian.
        r"wordt gestraft", r"(?:wird|werden) (?:mit [^.]{0,40})?bestraft", r"freiheitsstrafe",
        r"podlega (?:karze|grzywnie)", r"baudžiamas", r"baudžiama",
        # Russian, Ukrainian, Serbian, Bulgarian.
        r"наказыва(?:е|ю)тся", r"караєть?ся", r"караються", r"казниће се", r"се наказва",
        # Turkish, Persian.
        r"cezası(?:yla| ile) cezalandırılır", r"hapis cezası", r"cezalandırılır",
        r"محکوم (?:می‌شود|میشود|می شود)", r"مجازات",
    ),
)

# English mental-element formulas MENTAL_ELEMENT lacks, read by the signals (model/signals.py) and not by the keyword
# baseline, which keeps its figures: a bare "with intent" ("with intent - (a) ..."), participles, purpose phrases.
MENTAL_ELEMENT_MORE = Lexicon(
    "mental_element_more",
    "A mental element is present (ANNOTATION.md, missing_intent; UN OHCHR: offences must require intent).",
    (
        r"with (?:the |an )?intent(?:ion)?", r"intending", r"with the aim of", r"in order to",
        r"for purposes of (?!this|these|sections?|subsections?|paragraphs?|articles?|chapters?|parts?)",
    ),
)

# The mental element in the corpus' other languages (MENTAL_ELEMENT holds a few).
MENTAL_ELEMENT_MULTILINGUAL = Lexicon(
    "mental_element_multilingual",
    "A mental element is present (ANNOTATION.md, missing_intent; UN OHCHR: offences must require intent).",
    (
        r"frauduleusement", r"dans le but de", r"en vue de", r"à dessein", r"délibérément",
        r"a sabiendas", r"deliberadamente", r"con (?:el )?(?:ánimo|ánimo de lucro|fin|propósito|intención) de",
        r"intencionadamente", r"com (?:o )?(?:intuito|fim|propósito|intenção) de", r"conscientemente",
        r"al fine di", r"allo scopo di", r"con dolo", r"fraudolentemente", r"consapevolmente", r"intenzionalmente",
        r"opzettelijk", r"met het oogmerk", r"wissentlich", r"absichtlich", r"in der absicht",
        r"w celu", r"umyślnie", r"świadomie", r"tyčia", r"siekdamas",
        r"заведомо", r"с целью", r"умисно", r"з метою", r"намерно", r"са циљем", r"умишљено", r"умишлено", r"с цел",
        r"bilerek", r"kasıtlı", r"amacıyla", r"عمد(?:اً|ا)?", r"به قصد", r"با علم",
    ),
)

# Every list whose match means the clause names a mental element: what the signals and the evidence note read.
MENTAL_ELEMENT_LISTS = (MENTAL_ELEMENT, MENTAL_ELEMENT_MORE, MENTAL_ELEMENT_MULTILINGUAL)
