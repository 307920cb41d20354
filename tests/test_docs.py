"""The README documents every environment variable and command a user needs (datasette's habit)."""

import re
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
README = (REPO / "README.md").read_text()
CODE_DIRS = ("lib", "ui", "pages", "tools", "tests")


def environment_variables() -> set[str]:
    found: set[str] = set()
    for folder in CODE_DIRS:
        for path in (REPO / folder).rglob("*.py"):
            text = path.read_text()
            found |= set(re.findall(r"os\.environ(?:\.get)?[(\[]\s*\"([A-Z][A-Z0-9_]+)\"", text))
            found |= set(re.findall(r"^(?:ENV_[A-Z_]+|KEY_NAME)\s*=\s*\"([A-Z][A-Z0-9_]+)\"", text, re.M))
    return found - {"CI"}  # set by CI systems, not by users


def test_every_environment_variable_is_documented():
    variables = environment_variables()
    assert {"LINKSCOPE_DATA_DIR", "SEMRUSH_API_KEY", "SEMRUSH_API_URL"} <= variables
    missing = sorted(v for v in variables if v not in README)
    assert not missing, f"README.md does not mention {missing}"


def test_quick_start_has_the_two_commands_ci_runs():
    assert "pip install -r requirements.txt && streamlit run app.py" in README
    test_command = "pip install -r requirements-dev.txt && python -m pytest"
    assert test_command in README
    assert (REPO / ".ci" / "run").read_text().strip().endswith(test_command)


def test_every_page_in_the_navigation_is_described():
    app = (REPO / "app.py").read_text()
    titles = re.findall(r'st\.Page\("pages/[a-z_]+\.py", title="([^"]+)"', app)
    assert titles, "no pages found in app.py"
    missing = [t for t in titles if t not in README]
    assert not missing, f"README.md does not describe the pages {missing}"


def test_the_command_line_is_documented():
    assert "python -m lib.cli summarize" in README
    assert "python -m tools.fake_semrush" in README
