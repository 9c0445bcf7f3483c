"""Coded problem lines."""

from __future__ import annotations

from synoptic.errors import Problem, escape


def test_errors_problem_line_escapes_controls_in_source_and_message() -> None:
    forged = "a.txt\nsynoptic: skipped b.txt: file not found [E001]"
    problem = Problem(forged, "E002", "cannot read: \x1b[2Jgone\r")
    line = problem.line()
    assert line == (
        "synoptic: skipped a.txt\\nsynoptic: skipped b.txt: file not found [E001]: "
        "cannot read: \\x1b[2Jgone\\r [E002]"
    )
    assert problem.to_dict()["source"] == forged  # the record keeps the real name


def test_errors_escape_shows_undecodable_bytes_and_reordering_characters() -> None:
    assert escape("caf\udce9.txt") == "caf\\xe9.txt"
    assert escape("report\u202etxt.exe") == "report\\u202etxt.exe"
    assert escape("tab\there\x7f") == "tab\\there\\x7f"
    assert escape("Genève – “quoted”") == "Genève – “quoted”"


def test_errors_problem_list_reports_each_problem_as_it_is_recorded() -> None:
    from synoptic.errors import ProblemList

    said: list[str] = []
    problems = ProblemList(lambda p: said.append(p.source))
    problems.append(Problem("a", "E001", "file not found"))
    problems.extend([Problem("b", "E003", "empty input")])
    problems += [Problem("c", "E003", "empty input")]
    assert said == ["a", "b", "c"]
    assert [p.source for p in problems] == ["a", "b", "c"]
    assert ProblemList() == []  # without a callback it is a plain list
