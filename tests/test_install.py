import subprocess
import sys


def _importable(name, cwd):
    code = f"import importlib.util, sys; sys.exit(0 if importlib.util.find_spec({name!r}) else 1)"
    return subprocess.run([sys.executable, "-c", code], cwd=cwd).returncode == 0


def test_only_gongkai_is_importable(tmp_path):
    assert _importable("gongkai", tmp_path)
    assert _importable("gongkai.training", tmp_path)
    assert _importable("gongkai.evaluation", tmp_path)
    for generic in ("nlp", "training", "evaluation", "models", "data"):
        assert not _importable(generic, tmp_path), f"{generic} must not be installed"


def test_cli_help_is_fast_and_lists_commands(tmp_path):
    proc = subprocess.run([sys.executable, "-m", "gongkai.cli", "--help"], capture_output=True, text=True, cwd=tmp_path)
    assert proc.returncode == 0
    for cmd in ("read", "data"):
        assert cmd in proc.stdout
