import nbformat

from instructor.feedback import StripHiddenTests, strip_hidden

SOURCE = '"""doc"""\nassert f(1) == 1\n### BEGIN HIDDEN TESTS\nsecret_input = 42\nassert f(secret_input) == 7\n### END HIDDEN TESTS\n'


def test_strip_hidden_keeps_visible_lines():
    stripped = strip_hidden(SOURCE)
    assert "assert f(1) == 1" in stripped and "secret_input" not in stripped
    assert "hidden tests ran here" in stripped


def test_preprocessor_also_cleans_tracebacks():
    cell = nbformat.v4.new_code_cell(SOURCE)
    cell.outputs = [
        nbformat.v4.new_output(
            "error",
            ename="AssertionError",
            evalue="",
            traceback=["---> 5 assert f(secret_input) == 7"],
        )
    ]
    nb = nbformat.v4.new_notebook(cells=[cell, nbformat.v4.new_code_cell("x = 1")])
    nb, _ = StripHiddenTests().preprocess(nb, {})
    text = nbformat.writes(nb)
    assert "secret_input" not in text and "AssertionError: " in text
    assert nb.cells[1].source == "x = 1"
