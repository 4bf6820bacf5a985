"""Cross-references inside a bill: which clauses' safeguards count for which power."""

from __future__ import annotations

from clauseclf.assess.references import part_of, place_of, referenced_sections, safeguard_sources, section_of


def test_section_of_a_unit_and_part_of_a_heading():
    assert section_of("s. 52(1)") == "52"
    assert section_of('s. 2 "access"') == "2"
    assert section_of("art. 7(2)") == "7"
    assert section_of("§ 3a") == "3A"
    assert section_of("preamble") == ""
    assert part_of(["PART IV – PROCEDURES AND INVESTIGATIONS", "Search and seizure"]) == \
        "PART IV – PROCEDURES AND INVESTIGATIONS"
    assert part_of(["Search and seizure"]) == ""


def test_references_name_sections_lists_and_ranges_but_not_other_laws():
    assert referenced_sections("a warrant issued under section 52(1)") == {"52"}
    assert referenced_sections("subject to section 60") == {"60"}
    assert referenced_sections("sections 30 to 34") == {"30", "31", "32", "33", "34"}
    assert referenced_sections("sections 30, 31 and 32") == {"30", "31", "32"}
    assert referenced_sections("an order under article 7 or 9") == {"7", "9"}
    assert referenced_sections("as defined in section 4 of the Penal Code") == set()
    assert referenced_sections("within 30 days of the order under subsection (2)") == set()


def test_scope_words_make_a_clause_apply_to_its_part_or_the_whole_bill():
    part = place_of("s. 60", ["PART IV"], "Any person aggrieved by an order made under this Part may apply to the High Court.")
    bill = place_of("s. 61", ["PART V"], "The powers conferred by this Act shall be exercised only with a warrant.")
    offence = place_of("s. 62", ["PART V"], "A person who obstructs an officer commits an offence under this Act.")
    assert part.part_wide and not part.bill_wide
    assert bill.bill_wide and not offence.bill_wide


def test_a_power_collects_its_section_the_sections_it_names_and_those_that_name_it():
    # The clauses of Kenya's Computer Misuse and Cybercrimes Act 2018, as units, headings and shortened words.
    places = [
        place_of("s. 48(1)", ["PART IV"], "A police officer may apply to court for a warrant to search."),  # 0: power
        place_of("s. 48(2)", ["PART IV"], "The warrant shall specify the data to be seized."),             # 1: same section
        place_of("s. 50(1)", ["PART IV"], "An order under section 48 shall not exceed ninety days."),      # 2: names s. 48
        place_of("s. 51", ["PART IV"], "Any person aggrieved by an order under this Part may appeal."),     # 3: Part-wide
        place_of("s. 60", ["PART V"], "A request under this Part shall be made in writing."),              # 4: another Part
        place_of("s. 61", ["PART V"], "Nothing in section 70 applies to privileged material."),            # 5: names another
    ]
    sources = dict(safeguard_sources(0, places, guards=[0, 1, 2, 3, 4, 5], general=[1, 2, 3, 4, 5]))
    assert sources == {0: "its own clause", 1: "the same section", 2: "names s. 48", 3: "applies to its Part"}
    # A Part-wide clause counts only where it is a safeguard clause, not another power.
    assert 3 not in dict(safeguard_sources(0, places, guards=[0, 1, 2, 3, 4, 5], general=[]))
    # The other way: a power that names a warrant section takes that section's safeguards.
    places.append(place_of("s. 49", ["PART IV"], "An officer may, with a warrant under section 48, seize a device."))
    assert dict(safeguard_sources(6, places, guards=[0, 1, 3]))[0] == "s. 48, which the power names"
