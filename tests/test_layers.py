"""The layers stay apart: the realtime handlers parse, authorise, call a service and emit. They
never query or commit; reading and writing the database is the services' work."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "facilitate"
REALTIME = sorted((PACKAGE / "realtime").glob("*.py"))
SERVICES = sorted((PACKAGE / "services").glob("*.py"))

FORBIDDEN_MODULES = ("sqlalchemy", "flask_sqlalchemy")
FORBIDDEN_NAMES = {"db", "select", "session"}
FORBIDDEN_CALLS = {"commit"}


def database_uses(source: str) -> list[str]:
    """Every import of the database layer and every query or commit in a module's source."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [
                f"import {a.name}" for a in node.names if a.name.startswith(FORBIDDEN_MODULES)
            ]
        elif isinstance(node, ast.ImportFrom):
            if (node.module or "").startswith(FORBIDDEN_MODULES):
                found.append(f"from {node.module} import …")
            found += [f"import {a.name}" for a in node.names if a.name in FORBIDDEN_NAMES]
        elif isinstance(node, ast.Attribute) and node.attr == "session":
            found.append(".session")
        elif (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in FORBIDDEN_CALLS
        ):
            found.append(f".{node.func.attr}()")
    return found


@pytest.mark.parametrize("path", REALTIME, ids=lambda p: p.name)
def test_realtime_module_holds_no_sql(path: Path):
    assert database_uses(path.read_text(encoding="utf-8")) == []


def test_the_check_sees_queries_and_commits():
    source = (
        "from ..extensions import db\n"
        "from sqlalchemy import select\n"
        "import sqlalchemy.orm\n"
        "db.session.commit()\n"
    )
    assert set(database_uses(source)) == {
        "import db",
        "from sqlalchemy import …",
        "import select",
        "import sqlalchemy.orm",
        ".commit()",
        ".session",
    }


@pytest.mark.parametrize("path", SERVICES, ids=lambda p: p.name)
def test_services_do_not_import_socketio(path: Path):
    """Services are shared by the web, the sockets and the command line: none knows Socket.IO."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    imported = [
        node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)
    ] + [a.name for node in ast.walk(tree) if isinstance(node, ast.Import) for a in node.names]
    assert not [m for m in imported if "socketio" in m or m.endswith("realtime")]
